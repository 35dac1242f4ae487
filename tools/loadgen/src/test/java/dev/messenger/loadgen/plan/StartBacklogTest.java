package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StartBacklogTest {
  private static final double BOUND = 50;

  @Test
  void should_settle_at_the_first_of_five_seconds_within_twice_the_bound_before_the_window() {
    StartBacklog start = StartBacklog.of(report(seconds(3000.0, 2000.0, 800.0, 30.0, 95.0, 12.0, 100.0, 20.0,
        20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0), seconds(20.0, 20.0, 20.0)));

    assertThat(start.settledAt(BOUND)).hasValue(4);
    assertThat(start.windowStart()).isEqualTo(15);
    assertThat(start.spillsIntoWindow(BOUND)).isFalse();
  }

  @Test
  void should_spill_when_the_backlog_outlasts_the_warm_up_as_on_session_30s_cluster_at_180_msg_s() {
    // Its last warm-up seconds (9.3 to 13.2 s p99) and first two window seconds are session 30's run 2 at 180 msg/s.
    List<Double> warmup = Stream.concat(Collections.nCopies(10, 4000.0).stream(),
        seconds(9282.0, 10977.0, 10822.0, 11944.0, 13197.0).stream()).toList();
    StartBacklog start = StartBacklog.of(report(warmup, seconds(14361.0, 15565.0, 17.0, 30.0, 12.0, 40.0, 60.0,
        25.0, 20.0)));

    assertThat(start.settledAt(BOUND)).hasValue(18);
    assertThat(start.spillsIntoWindow(BOUND)).isTrue();
    assertThat(start.describe(BOUND)).isEqualTo("settled only at second 18 (per-second delivery p99 within 100 ms "
        + "for 5 s in a row); its measured window began at second 16");
  }

  @Test
  void should_not_take_a_stall_in_a_settled_run_for_its_start() {
    StartBacklog start = StartBacklog.of(report(seconds(600.0, 20.0, 20.0, 20.0, 20.0, 20.0, 900.0, 20.0),
        seconds(300.0, 20.0, 20.0)));

    assertThat(start.settledAt(BOUND)).hasValue(2);
    assertThat(start.spillsIntoWindow(BOUND)).isFalse();
  }

  @Test
  void should_spill_when_the_run_never_settles() {
    StartBacklog start = StartBacklog.of(report(seconds(900.0, 20.0, 20.0, 20.0),
        seconds(20.0, 700.0, 20.0, 20.0, 20.0, 20.0, 150.0)));

    assertThat(start.settledAt(BOUND)).isEmpty();
    assertThat(start.spillsIntoWindow(BOUND)).isTrue();
    assertThat(start.describe(BOUND)).startsWith("never settled (");
  }

  @Test
  void should_settle_on_the_window_s_first_second_without_spilling() {
    StartBacklog start = StartBacklog.of(report(seconds(900.0, 900.0), seconds(20.0, 20.0, 20.0, 20.0, 20.0)));

    assertThat(start.settledAt(BOUND)).hasValue(3);
    assertThat(start.spillsIntoWindow(BOUND)).isFalse();
  }

  @Test
  void should_leave_out_seconds_that_delivered_nothing_and_place_seconds_by_their_t() {
    Map<String, Object> report = new java.util.LinkedHashMap<>(RunReports.run(1, 20, true, Map.of(), 60));
    List<Object> series = new java.util.ArrayList<>();
    series.add(second(1, "warmup", 900, 5));
    for (int t = 2; t <= 4; t++) {
      series.add(second(t, "warmup", 0, 0)); // nothing delivered: no p99, neither calm nor not
    }
    series.add(second(6, "warmup", 20, 5)); // second 5 missing from the series
    series.add(second(7, "warmup", 20, 5));
    series.add(second(8, "measure", 20, 5));
    series.add(second(9, "measure", 20, 5));
    series.add(second(10, "measure", 20, 5));
    report.put("series", series);

    StartBacklog start = StartBacklog.of(report);

    assertThat(start.windowStart()).isEqualTo(7);
    assertThat(start.settledAt(BOUND)).hasValue(6);
    assertThat(start.spillsIntoWindow(BOUND)).isFalse();
  }

  @Test
  void should_tell_nothing_for_a_report_without_a_series() {
    StartBacklog start = StartBacklog.of(RunReports.run(100, 20, true, Map.of(), 60));

    assertThat(start).isEqualTo(StartBacklog.UNKNOWN);
    assertThat(start.settledAt(BOUND)).isEmpty();
    assertThat(start.spillsIntoWindow(BOUND)).isFalse();
  }

  @Test
  void should_refuse_a_window_start_outside_its_seconds() {
    assertThatThrownBy(() -> new StartBacklog(List.of(20.0, 20.0), 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window start 2");
  }

  private static Map<String, Object> second(int t, String phase, double p99, int delivered) {
    return Map.of("t", t, "phase", phase, "delivered", delivered, "delivery_p99_ms", p99);
  }

  private static List<Double> seconds(Double... p99s) {
    return List.of(p99s);
  }

  private static Map<String, Object> report(List<Double> warmup, List<Double> window) {
    return RunReports.withSeries(RunReports.run(100, 20, true, Map.of(), 60), warmup, window);
  }
}
