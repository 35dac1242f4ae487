package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HeldRateCheckTest {
  /** The cluster's CPU stops growing below the budget: the model says it holds any rate. */
  private static final HeldRatePrediction ANY_RATE = predicted(Double.POSITIVE_INFINITY, false);

  @Test
  void should_call_a_prediction_of_any_rate_outside_once_a_cluster_run_misses() {
    HeldRateCheck check = HeldRateCheck.of(ANY_RATE, List.of(run(100, 30), run(150, 80)), 50, 0.2);

    assertThat(check.withinTolerance()).isFalse();
    assertThat(check.error()).isEmpty();
    assertThat(check.verdict()).isEqualTo("predicted any rate (the cluster's CPU stops growing below the budget) "
        + "against 100 measured (held at 100 msg/s and missed at 150), outside ±20% (no finite rate)");
    assertThat(HeldRateCheck.of(ANY_RATE, List.of(run(150, 80)), 50, 0.2).verdict())
        .endsWith("but the cluster did not hold even 150 msg/s: outside ±20%");
  }

  @Test
  void should_not_decide_a_prediction_of_any_rate_while_every_cluster_run_held() {
    HeldRateCheck check = HeldRateCheck.of(ANY_RATE, List.of(run(100, 30), run(150, 40)), 50, 0.2);

    assertThat(check.withinTolerance()).isNull();
    assertThat(check.missedAbove()).isEmpty();
    assertThat(check.verdict()).endsWith("(held at 150 msg/s, its fastest run), not decided: only a run that misses "
        + "the bound can show it wrong");
  }

  @Test
  void should_decide_only_on_the_low_side_for_a_prediction_that_is_a_lower_bound() {
    // 42 predicted, within ±20% of it 35 to 52.5 msg/s; every one-node run held, so it may be higher.
    HeldRatePrediction lowerBound = predicted(42, true);

    assertThat(HeldRateCheck.of(lowerBound, List.of(run(40, 30), run(50, 80)), 50, 0.2).verdict())
        .endsWith("not decided: the prediction is only a lower bound, and the held rate is not below 35 to 52.5 "
            + "msg/s");
    assertThat(HeldRateCheck.of(lowerBound, List.of(run(60, 30), run(70, 80)), 50, 0.2).withinTolerance()).isNull();
    assertThat(HeldRateCheck.of(lowerBound, List.of(run(30, 30), run(35, 80)), 50, 0.2).withinTolerance())
        .isFalse();
    assertThat(HeldRateCheck.of(predicted(42, false), List.of(run(40, 30), run(50, 80)), 50, 0.2)
        .withinTolerance()).isTrue();
  }

  @Test
  void should_find_a_bracket_ending_at_the_lowest_rate_within_the_tolerance_outside_it() {
    // Missed at 35 = 42 / 1.2: whatever the cluster holds is below 35.
    assertThat(HeldRateCheck.of(predicted(42, false), List.of(run(30, 30), run(35, 80)), 50, 0.2)
        .withinTolerance()).isFalse();
    // No run held, one missed at 34: below 35 as well (the prediction less 20%, 33.6, said not decided).
    HeldRateCheck noneHeld = HeldRateCheck.of(predicted(42, false), List.of(run(34, 80)), 50, 0.2);
    assertThat(noneHeld.withinTolerance()).isFalse();
    assertThat(noneHeld.verdict()).contains("did not hold even 34 msg/s (at or below 35, the lowest rate within "
        + "±20%): outside ±20%");
  }

  @Test
  void should_name_the_runs_that_missed_below_the_highest_run_held() {
    HeldRateCheck check = HeldRateCheck.of(predicted(150, false),
        List.of(run(120, 100.7), run(130, 60.8), run(140, 32), run(150, 26.1), run(160, 69.4)), 50, 0.2);
    HeldRateCheck steady = HeldRateCheck.of(predicted(150, false),
        List.of(run(120, 30), run(130, 40), run(140, 32), run(150, 26.1), run(160, 69.4)), 50, 0.2);

    assertThat(check.withinTolerance()).as("decided by the bracket from 150 to 160 all the same").isTrue();
    assertThat(check.caveats()).containsExactly("the cluster also missed the bound or failed its checks at 120, 130 "
        + "msg/s, below its highest run held: it did not hold every rate up to 150 (a run measured while it still warmed up, or a stall)");
    assertThat(steady.caveats()).isEmpty();
  }

  @Test
  void should_take_a_run_offered_more_that_collapsed_as_the_missed_run_above() {
    // Held at 60; offered 80, the cluster collapsed and acknowledged 40: its held rate lies from 60 to 80.
    RunCpu collapsed = new RunCpu("c-80", 40, 80, 2400, true, Map.of("router-1", 1.0), List.of(),
        StartBacklog.UNKNOWN, Optional.empty());

    HeldRateCheck check = HeldRateCheck.of(predicted(70, false), List.of(run(60, 30), collapsed), 50, 0.2);

    assertThat(check.missedAbove()).map(RunCpu::source).hasValue("c-80");
    assertThat(check.caveats()).as("not a fastest run that held").isEmpty();
    assertThat(check.withinTolerance()).as("60 to 80 lies within 58.3 to 87.5").isTrue();
    assertThat(check.verdict()).contains("(held at 60 msg/s and missed at 80)");
    assertThat(HeldRateCheck.of(predicted(70, false), List.of(collapsed), 50, 0.2).verdict())
        .as("offered 80, above the lowest rate within: not decided").contains("not decided");
  }

  private static HeldRatePrediction predicted(double rate, boolean lowerBound) {
    return new HeldRatePrediction(HeldRatePrediction.Outcome.RATE, rate, Optional.empty(), 1.0, 0.5, lowerBound,
        HeldRatePrediction.Sensitivity.NONE);
  }

  private static RunCpu run(double rate, double p99) {
    return RunCpu.from("c-" + rate, RunReports.run(rate, p99, true, Map.of("router-1", 1.0), 10));
  }
}
