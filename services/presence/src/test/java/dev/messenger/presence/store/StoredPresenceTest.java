package dev.messenger.presence.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.PresenceUpdate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StoredPresenceTest {
  @Test
  void should_show_online_without_last_seen_and_offline_with_it() {
    assertThat(new StoredPresence("alice", true, 123, false).view())
        .isEqualTo(update(PresenceState.PRESENCE_STATE_ONLINE, 0));
    assertThat(new StoredPresence("alice", false, 123, false).view())
        .isEqualTo(update(PresenceState.PRESENCE_STATE_OFFLINE, 123));
  }

  @Test
  void should_show_a_hidden_user_offline_without_last_seen() {
    assertThat(new StoredPresence("alice", true, 123, true).view())
        .isEqualTo(update(PresenceState.PRESENCE_STATE_OFFLINE, 0));
    assertThat(StoredPresence.unknown("alice").view()).isEqualTo(update(PresenceState.PRESENCE_STATE_OFFLINE, 0));
  }

  private static PresenceUpdate update(PresenceState state, long lastSeen) {
    return PresenceUpdate.newBuilder().setUserId("alice").setState(state).setLastSeenMs(lastSeen).build();
  }
}
