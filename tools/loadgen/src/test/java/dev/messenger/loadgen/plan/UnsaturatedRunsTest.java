package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnsaturatedRunsTest {
  @Test
  void should_leave_out_the_runs_above_the_highest_rate_held() {
    List<RunCpu> runs = List.of(run(100, 9.4, true), run(400, 37.4, true), run(200, 12.6, true),
        run(500, 85.4, true), run(800, 4477, true));

    assertThat(UnsaturatedRuns.of(runs, 50)).extracting(RunCpu::ackedPerSecond).containsExactly(100.0, 400.0, 200.0);
  }

  @Test
  void should_keep_a_run_below_the_highest_held_even_when_it_missed_the_bound() {
    List<RunCpu> runs = List.of(run(100, 60, true), run(200, 20, true), run(300, 70, true));

    assertThat(UnsaturatedRuns.of(runs, 50)).extracting(RunCpu::ackedPerSecond).containsExactly(100.0, 200.0);
  }

  @Test
  void should_not_count_a_run_whose_checks_failed_as_held() {
    List<RunCpu> runs = List.of(run(100, 10, true), run(200, 11, true), run(300, 12, false));

    assertThat(UnsaturatedRuns.of(runs, 50)).extracting(RunCpu::ackedPerSecond).containsExactly(100.0, 200.0);
  }

  @Test
  void should_keep_every_run_when_none_held_or_one_rate_would_remain() {
    List<RunCpu> noneHeld = List.of(run(100, 80, true), run(200, 90, true));
    List<RunCpu> lowestOnly = List.of(run(100, 10, true), run(200, 90, true));

    assertThat(UnsaturatedRuns.of(noneHeld, 50)).isEqualTo(noneHeld);
    assertThat(UnsaturatedRuns.of(lowestOnly, 50)).isEqualTo(lowestOnly);
  }

  @Test
  void should_leave_out_a_run_that_collapsed_below_the_rate_held() {
    RunCpu collapsed = new RunCpu("r-800", 350, 800, 9000, true, Map.of("cassandra", 0.8), List.of(),
        StartBacklog.UNKNOWN, Optional.empty());
    List<RunCpu> runs = List.of(run(100, 9.4, true), run(400, 37.4, true), collapsed);

    assertThat(UnsaturatedRuns.of(runs, 50)).extracting(RunCpu::source).containsExactly("r-100.0", "r-400.0");
  }

  private static RunCpu run(double rate, double p99, boolean checksPassed) {
    return new RunCpu("r-" + rate, rate, rate, p99, checksPassed, Map.of("cassandra", rate / 1000), List.of(),
        StartBacklog.UNKNOWN, Optional.empty());
  }
}
