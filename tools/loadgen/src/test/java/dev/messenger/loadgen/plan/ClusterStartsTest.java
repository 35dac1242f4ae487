package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStartsTest {
  @Test
  void should_compare_the_median_prediction_with_the_median_start_and_note_a_spread_wider_than_the_band() {
    // Session 36's two starts against the same one-node runs: held 50 (missed 56.8) and 78.1 (missed 85.8).
    ClusterStarts starts = new ClusterStarts(List.of(
        new ClusterStarts.Start("a", 70, 63.6, false, 50, 56.8, List.of("a caveat")),
        new ClusterStarts.Start("b", 73, 63.6, false, 78.1, 85.8, List.of())), 0.2);

    assertThat(starts.medianHeld()).isCloseTo(64.05, offset(1e-9));
    assertThat(starts.medianMissedAbove()).isCloseTo(71.3, offset(1e-9));
    assertThat(starts.medianPredicted()).isCloseTo(71.5, offset(1e-9));
    // 71.5 / 64.05 - 1; within: 59.58 <= 64.05 and 71.3 <= 89.38.
    assertThat(starts.error()).hasValueSatisfying(e -> assertThat(e).isCloseTo(0.11632, offset(1e-5)));
    assertThat(starts.withinTolerance()).isTrue();
    assertThat(starts.errorAtOneNodeSpeed()).hasValueSatisfying(e -> assertThat(e).isCloseTo(-0.00703, offset(1e-5)));
    assertThat(starts.withinToleranceAtOneNodeSpeed()).isTrue();
    assertThat(starts.spread()).as("28.1 / 64.05").isCloseTo(0.43872, offset(1e-5));
    assertThat(String.join("\n", starts.describe()))
        .contains("a: held 50 msg/s, missed 56.8; predicted 70 (63.6 at the one node's speed)\n    caveat: a caveat")
        .contains("median of 2 starts: held 64.1 msg/s, missed 71.3; the held rates lie 43.9% of the median apart")
        .contains("=> predicted 71.5 msg/s (+11.6%): within ±20% (59.6 to 89.4 msg/s)")
        .contains("further apart than the whole ±20% band");
  }

  @Test
  void should_take_the_middle_start_of_an_odd_number_and_decide_outside_when_the_median_missed_below_the_band() {
    ClusterStarts starts = new ClusterStarts(List.of(
        new ClusterStarts.Start("a", 100, 100, false, 100, Double.POSITIVE_INFINITY, List.of()),
        new ClusterStarts.Start("b", 100, 100, false, 40, 45, List.of()),
        new ClusterStarts.Start("c", 100, 100, false, 60, 66, List.of())), 0.2);

    assertThat(starts.medianHeld()).isEqualTo(60);
    assertThat(starts.medianMissedAbove()).isEqualTo(66);
    // Within +-20 % of 100 needs 83.3 to 125: the median start missed at 66.
    assertThat(starts.withinTolerance()).isFalse();
    assertThat(String.join("\n", starts.describe())).contains("outside ±20% (83.3 to 125 msg/s)");
  }

  @Test
  void should_not_decide_when_the_median_bracket_straddles_an_edge_of_the_band() {
    ClusterStarts starts = new ClusterStarts(List.of(
        new ClusterStarts.Start("a", 70, 70, false, 60, Double.POSITIVE_INFINITY, List.of())), 0.2);

    assertThat(starts.withinTolerance()).isNull();
    assertThat(starts.spread()).isZero();
    assertThat(String.join("\n", starts.describe()))
        .contains("held 60 msg/s, at its fastest run")
        .contains("not decided: within ±20% needs the median held rate from 58.3 to 87.5 msg/s")
        .doesNotContain("note:");
  }

  @Test
  void should_decide_a_lower_bound_prediction_only_by_a_miss_below_its_band() {
    ClusterStarts inBand = new ClusterStarts(List.of(
        new ClusterStarts.Start("a", 70, 70, true, 65, 73, List.of())), 0.2);
    ClusterStarts below = new ClusterStarts(List.of(
        new ClusterStarts.Start("a", 70, 70, true, 40, 50, List.of())), 0.2);

    assertThat(inBand.lowerBound()).isTrue();
    assertThat(inBand.withinTolerance()).isNull();
    assertThat(String.join("\n", inBand.describe())).contains("not decided: the prediction is only a lower bound");
    assertThat(below.withinTolerance()).as("it missed at 50, below 58.3").isFalse();
  }

  @Test
  void should_have_no_error_when_the_median_start_held_no_rate() {
    ClusterStarts starts = new ClusterStarts(List.of(
        new ClusterStarts.Start("a", 70, 70, false, 0, 30, List.of())), 0.2);

    assertThat(starts.error()).isEmpty();
    assertThat(starts.withinTolerance()).as("it missed at 30, below 58.3").isFalse();
  }

  @Test
  void should_refuse_no_start_and_a_held_rate_not_below_the_missed_one() {
    assertThatThrownBy(() -> new ClusterStarts(List.of(), 0.2)).hasMessage("no start to compare");
    assertThatThrownBy(() -> new ClusterStarts.Start("a", 70, 70, false, 60, 60, List.of()))
        .hasMessage("a: the rate held must lie below the rate missed above it");
    assertThatThrownBy(() -> new ClusterStarts.Start("a", Double.POSITIVE_INFINITY, 70, false, 60, 66, List.of()))
        .hasMessageStartingWith("a: a start is compared only with a finite positive predicted rate");
  }
}
