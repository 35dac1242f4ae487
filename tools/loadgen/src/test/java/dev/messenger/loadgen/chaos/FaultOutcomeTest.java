package dev.messenger.loadgen.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultOutcomeTest {
  private static Map<String, Object> second(int t, String phase, int delivered, int live) {
    return Map.of("t", t, "phase", phase, "delivered", delivered, "live_streams", live);
  }

  @Test
  void should_count_the_seconds_until_every_device_is_back_and_deliveries_are_steady() {
    List<Map<String, Object>> series = new ArrayList<>();
    for (int t = 1; t <= 10; t++) {
      series.add(second(t, "warmup", 200, 500));
    }
    // The fault: half the devices gone, few deliveries, then a catch-up burst before all are back.
    series.add(second(11, "measure", 40, 250));
    series.add(second(12, "measure", 10, 250));
    series.add(second(13, "measure", 600, 480));
    series.add(second(14, "measure", 190, 500));
    series.add(second(15, "measure", 150, 500));
    series.add(second(16, "measure", 185, 500));
    series.add(second(17, "measure", 200, 500));
    series.add(second(18, "measure", 210, 500));
    series.add(second(19, "drain", 0, 500));

    assertThat(FaultOutcome.recoverySeconds(series)).as("from second 11 to the start of 16-18").isEqualTo(5);
  }

  @Test
  void should_not_take_a_start_up_backlog_in_the_warm_up_for_the_steady_rate() {
    // 30 sends a second, two deliveries each; the short warm-up still delivered what its cold start held up.
    int[] warmup = {16, 26, 24, 96, 48, 95, 85, 90, 62, 60};
    List<Map<String, Object>> series = new ArrayList<>();
    for (int t = 1; t <= warmup.length; t++) {
      series.add(Map.of("t", t, "phase", "warmup", "sent", 30, "delivered", warmup[t - 1], "live_streams", 200));
    }
    for (int t = 11; t <= 20; t++) {
      series.add(Map.of("t", t, "phase", "measure", "sent", 30, "delivered", 58 + t % 3, "live_streams", 200));
    }

    assertThat(FaultOutcome.recoverySeconds(series)).as("against the warm-up's deliveries alone").isEqualTo(-1);
    assertThat(FaultOutcome.recoverySeconds(series, 2.0)).as("against what the sends called for").isZero();
    assertThat(FaultOutcome.deliveriesPerSend(Map.of("messages",
        Map.of("sent", 2500, "acked", 2102, "expected_deliveries", 4204)))).as("per acknowledged message").isEqualTo(2.0);
  }

  @Test
  void should_say_never_when_the_devices_do_not_all_come_back() {
    List<Map<String, Object>> series = new ArrayList<>();
    for (int t = 1; t <= 5; t++) {
      series.add(second(t, "warmup", 100, 100));
    }
    for (int t = 6; t <= 20; t++) {
      series.add(second(t, "measure", 100, 99));
    }
    assertThat(FaultOutcome.recoverySeconds(series)).isEqualTo(-1);
  }

  @Test
  void should_hold_the_promises_only_with_nothing_lost_duplicated_reordered_or_unanswered() {
    Map<String, Object> report = Map.of(
        "messages", Map.of("lost", 0, "duplicated", 0, "out_of_order", 0, "unresolved", 0, "failed", 2),
        "errors", Map.of("UNAVAILABLE", 7),
        "latency_ms", Map.of("delivery", Map.of("p99", 812.5, "max", 2000.0)),
        "server", Map.of("metrics_over_window",
            Map.of("chaos", Map.of("fault", "router:kill", "control", List.of(Map.of("serving", true))))),
        "series", List.of(),
        "history_check", Map.of("missing", 0, "duplicated", 0, "misplaced", 0, "gaps", 0));
    FaultOutcome held = FaultOutcome.of("router:kill", report);
    assertThat(held.promisesHeld()).isTrue();
    assertThat(held.failedSends()).isEqualTo(2);
    assertThat(held.deliveryP99Ms()).isEqualTo(812.5);
    assertThat(held.row()).contains("router:kill", "never", "UNAVAILABLE=7");

    Map<String, Object> broken = new java.util.HashMap<>(report);
    broken.put("messages", Map.of("lost", 0, "duplicated", 1, "out_of_order", 0, "unresolved", 0, "failed", 0));
    assertThat(FaultOutcome.of("router:kill", broken).promisesHeld()).isFalse();

    Map<String, Object> notInjected = new java.util.HashMap<>(report);
    notInjected.put("server", Map.of("metrics_over_window",
        Map.of("chaos", Map.of("fault", "router:kill", "control_error", "connection refused"))));
    assertThat(FaultOutcome.of("router:kill", notInjected).promisesHeld()).as("a fault not done proves nothing")
        .isFalse();

    Map<String, Object> noAnswer = new java.util.HashMap<>(report);
    noAnswer.put("server", Map.of("metrics_over_window", Map.of()));
    assertThat(FaultOutcome.of("router:kill", noAnswer).promisesHeld()).as("no record of the fault").isFalse();

    Map<String, Object> storeLost = new java.util.HashMap<>(report);
    storeLost.put("history_check", Map.of("missing", 12, "duplicated", 0, "misplaced", 0, "gaps", 3));
    FaultOutcome lostInStore = FaultOutcome.of("cassandra:kill", storeLost);
    assertThat(lostInStore.promisesHeld()).as("delivered live but gone from History").isFalse();
    assertThat(lostInStore.row()).contains("15 bad");

    Map<String, Object> unread = new java.util.HashMap<>(report);
    unread.remove("history_check");
    assertThat(FaultOutcome.of("router:kill", unread).promisesHeld()).as("History not read back").isFalse();
  }

  @Test
  void should_parse_faults_as_written_and_refuse_the_rest() {
    assertThat(Fault.parse("session-2:kill")).isEqualTo(new Fault("session-2", Fault.Kind.KILL, Duration.ZERO));
    assertThat(Fault.parse("router:pause=12").pause()).isEqualTo(Duration.ofSeconds(12));
    assertThat(Fault.parse("router:pause=12").label()).isEqualTo("router:pause=12");
    assertThat(Fault.QUICK).extracting(Fault::label).contains("router:kill", "session:term");
    assertThatThrownBy(() -> Fault.parse("router")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.parse("router:pause=0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.parse("router:explode")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Fault.parse("router-2:etcd-cut=20")).isEqualTo(
        new Fault("router-2", Fault.Kind.ETCD_CUT, Duration.ofSeconds(20)));
    assertThat(Fault.parse("router-2:etcd-cut=20").label()).isEqualTo("router-2:etcd-cut=20");
    assertThatThrownBy(() -> Fault.parse("router:etcd-cut=0")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Fault.parse("cassandra-2:cut=15")).isEqualTo(
        new Fault("cassandra-2", Fault.Kind.NODE_CUT, Duration.ofSeconds(15)));
    assertThat(Fault.parse("cassandra-2:cut=15").label()).isEqualTo("cassandra-2:cut=15");
    assertThatThrownBy(() -> Fault.parse("cassandra-2:cut=121")).isInstanceOf(IllegalArgumentException.class);
    assertThat(FaultSeries.parse("history:kill+nats:kill").steps()).containsExactly(
        new Fault("history", Fault.Kind.KILL, Duration.ZERO), new Fault("nats", Fault.Kind.KILL, Duration.ZERO));
    assertThat(FaultSeries.parse("history:kill+router:pause=8").label()).isEqualTo("history:kill+router:pause=8");
    assertThatThrownBy(() -> FaultSeries.parse("history:kill+")).isInstanceOf(IllegalArgumentException.class);
  }
}
