package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClusterStepsTest {
  @Test
  void should_step_from_edge_to_edge_of_the_band_a_tenth_apart_at_most_and_two_steps_beyond_each() {
    // Within ±20 % of 100 msg/s: held rates from 83.3 to 125, so 84 to 125 in five equal ratios of 1.083; 76 and
    // 69 below (84 / 1.1, / 1.21), 138 and 151 above (125 x 1.1, x 1.21); 30 and 50 first.
    assertThat(ClusterSteps.around(100, 0.2))
        .containsExactly(30L, 50L, 69L, 76L, 84L, 91L, 98L, 107L, 115L, 125L, 138L, 151L);
  }

  @Test
  void should_give_a_step_on_each_edge_of_the_band_and_none_further_apart_than_a_tenth_within_it() {
    for (double predicted : List.of(59.9, 63.6, 238.0, 1234.5)) {
      double lowest = predicted / 1.2;
      double highest = predicted / 0.8;
      List<Long> inBand = ClusterSteps.around(predicted, 0.2).stream()
          .filter(rate -> rate >= lowest && rate <= highest).toList();

      assertThat((double) inBand.get(0)).as("%s: the first step within", predicted)
          .isEqualTo(Math.ceil(lowest));
      assertThat((double) inBand.get(inBand.size() - 1)).as("%s: the last step within", predicted)
          .isEqualTo(Math.floor(highest));
      for (int i = 1; i < inBand.size(); i++) {
        assertThat((double) inBand.get(i)).as("%s: step %s", predicted, i)
            .isLessThanOrEqualTo(inBand.get(i - 1) * 1.1 + 1);
      }
      assertThat(ClusterSteps.around(predicted, 0.2).stream().filter(rate -> rate < lowest).count())
          .as("%s: two low steps and two below the band", predicted).isEqualTo(4);
    }
  }

  @Test
  void should_give_whole_rates_from_one_without_repeats_for_a_slow_prediction() {
    List<Long> steps = ClusterSteps.around(2, 0.2);

    assertThat(steps).isSorted().doesNotHaveDuplicates().first().isEqualTo(1L);
    assertThat(steps).contains(2L);
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
