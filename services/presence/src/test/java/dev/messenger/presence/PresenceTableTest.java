package dev.messenger.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PresenceTableTest {
  private static final long GRACE = 5_000;
  private static final long ONLINE_DELAY = 1_000;
  private static final long FAR = Long.MAX_VALUE / 2;
  private static final StreamRef PHONE = new StreamRef("session-a", "1");
  private static final StreamRef LAPTOP = new StreamRef("session-b", "2");

  private PresenceTable table = new PresenceTable(timings(GRACE, ONLINE_DELAY, 0), 0, Set.of());

  @Test
  void should_show_a_user_online_once_the_online_delay_has_passed() {
    table.streamLive("alice", PHONE, FAR, 0);

    assertThat(table.advance(999)).isEmpty();
    assertThat(table.advance(1_000)).containsExactly(PresenceChange.online("alice"));
    assertThat(table.advance(100_000)).isEmpty();
    assertThat(table.publishedOnline()).isEqualTo(1);
  }

  @Test
  void should_show_online_at_once_without_an_online_delay() {
    table = new PresenceTable(timings(GRACE, 0, 0), 0, Set.of());

    table.streamLive("alice", PHONE, FAR, 42);

    assertThat(table.advance(42)).containsExactly(PresenceChange.online("alice"));
  }

  @Test
  void should_never_show_a_user_who_leaves_within_the_online_delay() {
    table.streamLive("alice", PHONE, FAR, 0);
    table.advance(500);
    table.streamEnded("alice", PHONE, 600);

    assertThat(advanceEvery(100, 0, 20_000)).isEmpty();
    assertThat(table.trackedUsers()).isZero();
  }

  @Test
  void should_stay_online_while_one_of_two_devices_is_connected_and_go_offline_after_the_grace_period() {
    table.streamLive("alice", PHONE, FAR, 0);
    table.streamLive("alice", LAPTOP, FAR, 0);
    assertThat(table.advance(1_000)).containsExactly(PresenceChange.online("alice"));

    table.streamEnded("alice", PHONE, 2_000);
    assertThat(advanceEvery(100, 2_000, 30_000)).isEmpty();

    table.streamEnded("alice", LAPTOP, 30_000);
    assertThat(table.advance(30_000 + GRACE - 1)).isEmpty();
    assertThat(table.advance(30_000 + GRACE)).containsExactly(PresenceChange.offline("alice", 30_000));
    assertThat(table.publishedOnline()).isZero();
    assertThat(table.trackedUsers()).isZero();
  }

  @Test
  void should_publish_nothing_when_the_user_reconnects_within_the_grace_period() {
    table.streamLive("alice", PHONE, FAR, 0);
    table.advance(1_000);

    table.streamEnded("alice", PHONE, 10_000);
    table.advance(12_000);
    table.streamLive("alice", new StreamRef("session-b", "7"), FAR, 14_999);

    assertThat(advanceEvery(100, 14_999, 60_000)).isEmpty();
    assertThat(table.isPublishedOnline("alice")).isTrue();
  }

  @Test
  void should_coalesce_a_user_flapping_faster_than_the_grace_period() {
    table.streamLive("alice", PHONE, FAR, 0);
    List<PresenceChange> changes = new ArrayList<>(table.advance(1_000));
    for (int i = 0; i < 20; i++) {
      long t = 2_000 + i * 1_000L;
      StreamRef stream = new StreamRef("session-a", "flap-" + i);
      table.streamEnded("alice", i == 0 ? PHONE : new StreamRef("session-a", "flap-" + (i - 1)), t);
      changes.addAll(table.advance(t + 500));
      table.streamLive("alice", stream, FAR, t + 500);
      changes.addAll(table.advance(t + 999));
    }
    table.streamEnded("alice", new StreamRef("session-a", "flap-19"), 30_000);
    changes.addAll(advanceEvery(100, 30_000, 40_000));

    assertThat(changes).containsExactly(PresenceChange.online("alice"), PresenceChange.offline("alice", 30_000));
  }

  @Test
  void should_let_a_stream_that_is_not_refreshed_expire() {
    table.streamLive("alice", PHONE, 6_000, 0);
    assertThat(table.advance(1_000)).containsExactly(PresenceChange.online("alice"));

    assertThat(table.advance(6_000)).isEmpty();
    assertThat(table.advance(6_000 + GRACE)).containsExactly(PresenceChange.offline("alice", 6_000));
  }

  @Test
  void should_keep_a_refreshed_stream_alive() {
    table.streamLive("alice", PHONE, 6_000, 0);
    table.advance(1_000);
    for (long t = 2_000; t <= 60_000; t += 2_000) {
      table.streamLive("alice", PHONE, t + 6_000, t);
      assertThat(table.advance(t + 1_999)).isEmpty();
    }
    assertThat(table.isPublishedOnline("alice")).isTrue();
  }

  @Test
  void should_drop_every_stream_of_a_server_that_is_gone() {
    table.streamLive("alice", PHONE, FAR, 0);
    table.streamLive("alice", LAPTOP, FAR, 0);
    table.streamLive("bob", new StreamRef("session-a", "3"), FAR, 0);
    assertThat(table.advance(1_000)).hasSize(2);

    table.serverGone("session-a", 5_000);

    assertThat(advanceEvery(100, 5_000, 5_000 + GRACE)).containsExactly(PresenceChange.offline("bob", 5_000));
    assertThat(table.isPublishedOnline("alice")).isTrue();
  }

  @Test
  void should_take_over_users_shown_online_and_keep_those_whose_streams_are_reported() {
    table = new PresenceTable(timings(GRACE, ONLINE_DELAY, 2_000), 100_000, Set.of("alice", "bob"));
    assertThat(table.publishedOnline()).isEqualTo(2);

    table.streamLive("alice", PHONE, FAR, 101_500);

    assertThat(advanceEvery(100, 100_000, 100_000 + GRACE - 100)).isEmpty();
    assertThat(table.advance(100_000 + GRACE)).containsExactly(PresenceChange.offline("bob", 100_000));
    assertThat(advanceEvery(100, 100_000 + GRACE, 200_000)).isEmpty();
    assertThat(table.isPublishedOnline("alice")).isTrue();
  }

  @Test
  void should_not_show_anyone_offline_before_the_warmup_after_takeover_has_passed() {
    table = new PresenceTable(timings(1_000, 0, 3_000), 0, Set.of("bob"));

    assertThat(advanceEvery(100, 0, 2_900)).isEmpty();
    assertThat(table.advance(3_000)).containsExactly(PresenceChange.offline("bob", 0));
  }

  @Test
  void should_ignore_the_end_of_an_unknown_stream() {
    table.streamEnded("carol", PHONE, 0);
    table.serverGone("session-z", 0);

    assertThat(table.advance(100_000)).isEmpty();
    assertThat(table.trackedUsers()).isZero();
  }

  private List<PresenceChange> advanceEvery(long step, long from, long to) {
    List<PresenceChange> changes = new ArrayList<>();
    for (long t = from; t <= to; t += step) {
      changes.addAll(table.advance(t));
    }
    return changes;
  }

  private static PresenceTimings timings(long graceMs, long onlineDelayMs, long warmupMs) {
    return new PresenceTimings(Duration.ofMillis(graceMs), Duration.ofMillis(onlineDelayMs),
        Duration.ofMillis(warmupMs));
  }
}
