package dev.messenger.presence.store;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.PresenceUpdate;

/** A user's durable presence: what watchers were last told, and whether the user hides. */
public record StoredPresence(String userId, boolean online, long lastSeenMs, boolean hidden) {
  public StoredPresence {
    requireNonNull(userId, "userId");
  }

  /** A user presence has never seen. */
  public static StoredPresence unknown(String userId) {
    return new StoredPresence(userId, false, 0, false);
  }

  /** How a user the viewer may not see appears: as a hidden one. */
  public static StoredPresence concealed(String userId) {
    return new StoredPresence(userId, false, 0, true);
  }

  /** What others see: offline without last seen while hidden. */
  public PresenceUpdate view() {
    if (hidden) {
      return update(PresenceState.PRESENCE_STATE_OFFLINE, 0);
    }
    return online
        ? update(PresenceState.PRESENCE_STATE_ONLINE, 0)
        : update(PresenceState.PRESENCE_STATE_OFFLINE, lastSeenMs);
  }

  private PresenceUpdate update(PresenceState state, long lastSeen) {
    return PresenceUpdate.newBuilder().setUserId(userId).setState(state).setLastSeenMs(lastSeen).build();
  }
}
