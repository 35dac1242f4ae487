package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StackLimitTest {
  @Test
  void should_bracket_the_limit_by_the_highest_run_held_and_the_slowest_run_above_it() {
    // Session 35's run b: 500 held at 18 ms, 600 went straight to 842 ms; 400 held, 700 and 800 missed too.
    List<RunCpu> runs = List.of(run(400, 400, 25.5, true), run(800, 800, 1555, true), run(500, 500, 18.2, true),
        run(700, 700, 842, true), run(600, 600, 842, true));

    StackLimit limit = StackLimit.of(runs, 50);

    assertThat(limit.held()).map(RunCpu::source).hasValue("r-500");
    assertThat(limit.missedAbove()).map(RunCpu::source).hasValue("r-600");
    assertThat(limit.nextRate(10)).hasValue(550);
  }

  @Test
  void should_halve_the_bracket_until_it_is_within_twice_the_smallest_gap() {
    List<RunCpu> runs = List.of(run(500, 500, 18, true), run(550, 550, 40, true), run(575, 575, 70, true));

    assertThat(StackLimit.of(runs, 50).nextRate(10)).as("550 to 575: 25 apart, more than 20").hasValue(563);
    assertThat(StackLimit.of(runs, 50).nextRate(12.5)).as("no more than 25 apart").isEmpty();
  }

  @Test
  void should_give_no_next_rate_that_is_one_of_the_two_runs() {
    List<RunCpu> runs = List.of(run(500, 500, 18, true), run(501, 501, 70, true));

    assertThat(StackLimit.of(runs, 50).nextRate(0.2)).as("500.5 rounds to 501, the missed run").isEmpty();
  }

  @Test
  void should_take_a_run_offered_more_as_above_even_when_it_collapsed_below_the_rate_held() {
    List<RunCpu> runs = List.of(run(400, 400, 20, true), run(350, 800, 9000, true), run(900, 900, 9000, true));

    StackLimit limit = StackLimit.of(runs, 50);

    assertThat(limit.missedAbove()).map(RunCpu::source).hasValue("r-800");
    assertThat(limit.nextRate(10)).hasValue(600);
  }

  @Test
  void should_count_a_run_with_failed_checks_as_missed() {
    List<RunCpu> runs = List.of(run(400, 400, 20, true), run(600, 600, 30, false));

    assertThat(StackLimit.of(runs, 50).missedAbove()).map(RunCpu::source).hasValue("r-600");
  }

  @Test
  void should_give_no_next_rate_when_every_run_held_or_none_did() {
    List<RunCpu> allHeld = List.of(run(100, 100, 10, true), run(200, 200, 20, true));
    List<RunCpu> noneHeld = List.of(run(100, 100, 60, true), run(200, 200, 90, true));

    assertThat(StackLimit.of(allHeld, 50).missedAbove()).isEmpty();
    assertThat(StackLimit.of(allHeld, 50).nextRate(10)).isEmpty();
    assertThat(StackLimit.of(noneHeld, 50).held()).isEmpty();
    assertThat(StackLimit.of(noneHeld, 50).nextRate(10)).isEmpty();
  }

  @Test
  void should_budget_halfway_between_the_most_cpu_a_run_within_the_bound_used_and_the_missed_run_above() {
    // Session 37's one node: 225 held on 0.954 cores, 238 held on 0.913 (the highest rate held), 250 missed on
    // 1.156. The cluster then held 64.1 msg/s on 1.040 cores.
    List<RunCpu> runs = List.of(run(200, 200, 15.8, true, 0.890), run(225, 225, 49.7, true, 0.954),
        run(238, 238, 24.5, true, 0.913), run(250, 250, 1682, true, 1.156), run(300, 300, 130, true, 1.182));

    StackLimit limit = StackLimit.of(runs, 50);

    assertThat(limit.held()).map(RunCpu::source).hasValue("r-238");
    assertThat(limit.busiestHeld()).map(RunCpu::source).hasValue("r-225");
    assertThat(limit.heldCores()).isCloseTo(0.954, offset(1e-12));
    assertThat(limit.budgetCores()).isCloseTo((0.954 + 1.156) / 2, offset(1e-12));
  }

  @Test
  void should_budget_the_most_cpu_held_alone_when_nothing_above_missed_on_more() {
    List<RunCpu> saturated = List.of(run(100, 100, 20, true, 0.5), run(200, 200, 30, true, 0.9),
        run(300, 300, 900, true, 0.85));
    List<RunCpu> allHeld = List.of(run(100, 100, 20, true, 0.5), run(200, 200, 30, true, 0.9));

    assertThat(StackLimit.of(saturated, 50).budgetCores()).isCloseTo(0.9, offset(1e-12));
    assertThat(StackLimit.of(allHeld, 50).budgetCores()).isCloseTo(0.9, offset(1e-12));
    assertThat(StackLimit.of(List.of(run(100, 100, 90, true, 0.5)), 50).budgetCores()).as("none held").isNaN();
  }

  @Test
  void should_leave_a_run_held_without_cpu_figures_out_of_the_budget() {
    RunCpu withoutCpu = new RunCpu("r-200", 200, 200, 30, true, Map.of(), List.of(), StartBacklog.UNKNOWN,
        Optional.empty());
    List<RunCpu> runs = List.of(run(100, 100, 20, true, 0.5), withoutCpu, run(300, 300, 900, true, 0.9));

    StackLimit limit = StackLimit.of(runs, 50);

    assertThat(limit.held()).map(RunCpu::source).hasValue("r-200");
    assertThat(limit.busiestHeld()).map(RunCpu::source).hasValue("r-100");
    assertThat(limit.budgetCores()).isCloseTo(0.7, offset(1e-12));
  }

  private static RunCpu run(double acked, double offered, double p99, boolean checksPassed, double cores) {
    return new RunCpu("r-" + Math.round(offered), acked, offered, p99, checksPassed, Map.of("session", cores),
        List.of(), StartBacklog.UNKNOWN, Optional.empty());
  }

  private static RunCpu run(double acked, double offered, double p99, boolean checksPassed) {
    return new RunCpu("r-" + Math.round(offered), acked, offered, p99, checksPassed, Map.of("session", acked / 1000),
        List.of(), StartBacklog.UNKNOWN, Optional.empty());
  }
}
