package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStepsTest {
  @Test
  void should_step_a_tenth_apart_from_two_steps_below_the_band_to_two_above_after_two_low_steps() {
    // Within ±20 % of 100 msg/s: 83.3 to 125 measured. 83.3 / 1.21 = 68.9, then x 1.1 up to 151.3 = 125 x 1.21.
    assertThat(ClusterSteps.around(100, 0.2))
        .containsExactly(30L, 50L, 69L, 76L, 83L, 92L, 101L, 111L, 122L, 134L, 148L, 162L);
  }

  @Test
  void should_cover_the_band_with_steps_at_most_a_tenth_apart_whatever_the_prediction() {
    for (double predicted : List.of(7.5, 63.6, 238.0, 1234.5)) {
      List<Long> steps = ClusterSteps.around(predicted, 0.2);
      List<Long> dense = steps.subList(2, steps.size());

      assertThat(dense.get(0)).as("%s", predicted).isLessThanOrEqualTo(Math.round(predicted / 1.2 / 1.21));
      assertThat(dense.get(dense.size() - 1)).as("%s", predicted).isGreaterThanOrEqualTo(
          Math.round(predicted / 0.8 * 1.21));
      for (int i = 1; i < dense.size(); i++) {
        assertThat((double) dense.get(i)).as("%s: step %s", predicted, i)
            .isLessThanOrEqualTo(dense.get(i - 1) * 1.1 + 1);
      }
    }
  }

  @Test
  void should_give_whole_rates_from_one_without_repeats_for_a_slow_prediction() {
    List<Long> steps = ClusterSteps.around(2, 0.2);

    assertThat(steps).isSorted().doesNotHaveDuplicates().first().isEqualTo(1L);
    assertThat(steps.get(steps.size() - 1)).isGreaterThanOrEqualTo(3L);
  }

  @Test
  void should_refuse_a_rate_or_tolerance_it_cannot_step_around() {
    assertThatThrownBy(() -> ClusterSteps.around(Double.NaN, 0.2)).hasMessageContaining("not NaN");
    assertThatThrownBy(() -> ClusterSteps.around(Double.POSITIVE_INFINITY, 0.2))
        .hasMessageContaining("a predicted rate must be a positive number");
    assertThatThrownBy(() -> ClusterSteps.around(0, 0.2)).hasMessageContaining("not 0.0");
    assertThatThrownBy(() -> ClusterSteps.around(100, 1)).hasMessageContaining("between 0 and 1, not 1.0");
  }
}
