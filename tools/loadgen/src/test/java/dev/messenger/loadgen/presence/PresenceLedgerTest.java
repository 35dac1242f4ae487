package dev.messenger.loadgen.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.messenger.loadgen.presence.PresenceLedger.Kind;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The accounting, with time passed in: online delay 1 s, grace 5 s, margin 0.5 s, window 10 s to 70 s. */
class PresenceLedgerTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;
  private static final boolean ONLINE = true;
  private static final boolean OFFLINE = false;

  private final PresenceLedger ledger = new PresenceLedger(List.of("c0", "c1"), S, 5 * S, 500 * MS);

  @BeforeEach
  void watchersWatchAndGetTheirAnswers() {
    ledger.watch(0, new int[] {0, 1});
    ledger.watch(1, new int[] {0});
    ledger.notification(0, "c0", OFFLINE, S);
    ledger.notification(0, "c1", OFFLINE, S);
    ledger.notification(1, "c0", OFFLINE, S);
    ledger.window(0, 10 * S, 70 * S);
  }

  @Test
  void should_match_each_visible_transition_once_per_watcher_and_measure_its_latency() {
    ledger.transition(0, Kind.CONNECT, 20 * S);
    ledger.notification(0, "c0", ONLINE, 20 * S + 1_100 * MS);
    ledger.notification(1, "c0", ONLINE, 20 * S + 1_200 * MS);
    ledger.transition(0, Kind.DISCONNECT, 30 * S);
    ledger.notification(0, "c0", OFFLINE, 35 * S + 100 * MS);
    ledger.notification(1, "c0", OFFLINE, 35 * S + 300 * MS);

    ChurnTally tally = ledger.tally();

    assertThat(ledger.answers()).isEqualTo(3);
    assertThat(tally.connects()).isEqualTo(1);
    assertThat(tally.disconnects()).isEqualTo(1);
    assertThat(tally.transitions()).isEqualTo(2);
    assertThat(tally.expected()).isEqualTo(4);
    assertThat(tally.received()).isEqualTo(4);
    assertThat(tally.missing()).isZero();
    assertThat(tally.unexpected()).isZero();
    assertThat(tally.answers()).isEqualTo(3);
    assertThat(tally.passed()).isTrue();
    assertThat(tally.online().count()).isEqualTo(2);
    assertThat(tally.online().p50()).isCloseTo(1_100, within(2.0));
    assertThat(tally.online().max()).isCloseTo(1_200, within(2.0));
    assertThat(tally.onlineBeyondDelay().p50()).isCloseTo(100, within(2.0));
    assertThat(tally.offline().p50()).isCloseTo(5_100, within(5.0));
    assertThat(tally.offline().max()).isCloseTo(5_300, within(5.0));
    assertThat(tally.offlineBeyondGrace().max()).isCloseTo(300, within(5.0));
    assertThat(tally.early()).isZero();
  }

  @Test
  void should_expect_nothing_of_a_blip() {
    ledger.transition(0, Kind.CONNECT, 20 * S);
    ledger.notification(0, "c0", ONLINE, 21 * S);
    ledger.notification(1, "c0", ONLINE, 21 * S);
    ledger.transition(0, Kind.BLIP_DISCONNECT, 30 * S);
    ledger.transition(0, Kind.BLIP_RECONNECT, 31 * S);

    ChurnTally tally = ledger.tally();

    assertThat(tally.transitions()).isEqualTo(3);
    assertThat(tally.blipDisconnects()).isEqualTo(1);
    assertThat(tally.blipReconnects()).isEqualTo(1);
    assertThat(tally.expected()).isEqualTo(2);
    assertThat(tally.missing()).isZero();
    assertThat(tally.unexpected()).isZero();
    assertThat(tally.maxBlipGapMs()).isEqualTo(1_000);
    assertThat(tally.blipOverruns()).isZero();
  }

  @Test
  void should_count_the_offline_and_online_pair_a_blip_causes_as_unexpected() {
    ledger.transition(0, Kind.CONNECT, 20 * S);
    ledger.notification(0, "c0", ONLINE, 21 * S);
    ledger.transition(0, Kind.BLIP_DISCONNECT, 30 * S);
    ledger.transition(0, Kind.BLIP_RECONNECT, 31 * S);
    ledger.notification(0, "c0", OFFLINE, 35 * S);
    ledger.notification(0, "c0", ONLINE, 36 * S);

    ChurnTally tally = ledger.tally();

    assertThat(tally.unexpected()).isEqualTo(2);
    assertThat(tally.passed()).isFalse();
    assertThat(tally.unexpectedSamples()).hasSize(2);
    assertThat(tally.unexpectedSamples().get(0))
        .contains("watcher #0 got OFFLINE of c0", "no transition pending", "BLIP_DISCONNECT@30.000s");
  }

  @Test
  void should_count_a_repeated_state_as_unexpected_unless_the_watcher_reconnected() {
    ledger.transition(0, Kind.CONNECT, 20 * S);
    ledger.notification(0, "c0", ONLINE, 21 * S);
    ledger.notification(0, "c0", ONLINE, 22 * S);
    ledger.watcherReconnected(0);
    ledger.notification(0, "c0", ONLINE, 23 * S);
    ledger.notification(0, "c1", OFFLINE, 23 * S);

    ChurnTally tally = ledger.tally();

    assertThat(tally.unexpected()).isEqualTo(1);
    assertThat(tally.answers()).isEqualTo(5);
    assertThat(tally.received()).isEqualTo(1);
  }

  @Test
  void should_count_as_missing_what_never_came() {
    ledger.transition(0, Kind.CONNECT, 20 * S);
    ledger.notification(0, "c0", ONLINE, 21 * S);
    ledger.transition(0, Kind.DISCONNECT, 30 * S);
    ledger.notification(0, "c0", OFFLINE, 35 * S);

    assertThat(ledger.outstanding()).isEqualTo(2);
    ChurnTally tally = ledger.tally();

    assertThat(tally.expected()).isEqualTo(4);
    assertThat(tally.received()).isEqualTo(2);
    assertThat(tally.missing()).isEqualTo(2);
    assertThat(tally.passed()).isFalse();
  }

  @Test
  void should_count_a_transition_jumped_over_as_missing_and_go_on_matching() {
    ledger.transition(1, Kind.CONNECT, 20 * S);
    ledger.transition(1, Kind.DISCONNECT, 30 * S);
    ledger.transition(1, Kind.CONNECT, 40 * S);
    ledger.notification(0, "c1", OFFLINE, 35 * S);
    ledger.notification(0, "c1", ONLINE, 41 * S);

    ChurnTally tally = ledger.tally();

    assertThat(tally.received()).isEqualTo(2);
    assertThat(tally.missing()).isEqualTo(1);
    assertThat(tally.unexpected()).isZero();
    assertThat(tally.expected()).isEqualTo(3);
  }

  @Test
  void should_not_measure_transitions_of_the_warmup_but_still_match_them() {
    ledger.transition(1, Kind.CONNECT, 5 * S);
    ledger.notification(0, "c1", ONLINE, 6 * S);
    ledger.transition(1, Kind.DISCONNECT, 9 * S);
    ledger.notification(0, "c1", OFFLINE, 14 * S);

    ChurnTally tally = ledger.tally();

    assertThat(tally.transitions()).isZero();
    assertThat(tally.expected()).isZero();
    assertThat(tally.outsideWindow()).isEqualTo(2);
    assertThat(tally.unexpected()).isZero();
    assertThat(tally.windowFrames()).isEqualTo(1);
    assertThat(tally.frames()).isEqualTo(5);
    assertThat(tally.fanoutPerSecond()).isCloseTo(1 / 60.0, within(1e-9));
  }

  @Test
  void should_ignore_a_retired_user() {
    ledger.transition(0, Kind.CONNECT, 20 * S);
    ledger.retire(0);
    ledger.notification(0, "c0", ONLINE, 21 * S);

    ChurnTally tally = ledger.tally();

    assertThat(tally.ignored()).isEqualTo(1);
    assertThat(tally.missing()).isZero();
    assertThat(tally.unexpected()).isZero();
    assertThat(tally.retired()).isEqualTo(1);
  }

  @Test
  void should_flag_notifications_sooner_than_the_configured_delay_and_late_blips() {
    ledger.transition(1, Kind.CONNECT, 20 * S);
    ledger.notification(0, "c1", ONLINE, 20 * S + 200 * MS);
    ledger.transition(1, Kind.BLIP_DISCONNECT, 30 * S);
    ledger.transition(1, Kind.BLIP_RECONNECT, 34 * S + 900 * MS);

    ChurnTally tally = ledger.tally();

    assertThat(tally.early()).isEqualTo(1);
    assertThat(tally.blipOverruns()).isEqualTo(1);
    assertThat(tally.maxBlipGapMs()).isEqualTo(4_900);
  }

  @Test
  void should_count_notifications_of_users_not_watched_as_unexpected() {
    ledger.notification(1, "c1", ONLINE, 20 * S);
    ledger.notification(1, "stranger", ONLINE, 20 * S);

    assertThat(ledger.tally().unexpected()).isEqualTo(2);
  }
}
