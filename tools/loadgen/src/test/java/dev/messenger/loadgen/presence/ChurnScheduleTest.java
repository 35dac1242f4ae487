package dev.messenger.loadgen.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChurnScheduleTest {
  private static final long SECOND = 1_000_000_000L;

  private static List<Long> dueTimes(ChurnSchedule schedule, long until) {
    List<Long> times = new ArrayList<>();
    for (long due = schedule.next(); due < until; due = schedule.next()) {
      times.add(due);
    }
    return times;
  }

  @Test
  void should_space_fixed_arrivals_evenly_at_the_rate() {
    List<Long> times = dueTimes(new ChurnSchedule(20, Arrivals.FIXED, 1), 10 * SECOND);

    assertThat(times).hasSize(200).isSorted();
    assertThat(times.get(0)).isBetween(0L, SECOND / 20);
    for (int i = 1; i < times.size(); i++) {
      assertThat(times.get(i) - times.get(i - 1)).isEqualTo(SECOND / 20);
    }
  }

  @Test
  void should_draw_poisson_arrivals_with_the_mean_rate_and_exponential_gaps() {
    List<Long> times = dueTimes(new ChurnSchedule(50, Arrivals.POISSON, 42), 2_000 * SECOND);

    assertThat(times).isSorted();
    assertThat(times.size() / 2_000.0).isCloseTo(50, within(1.0));
    long shortGaps = 0;
    for (int i = 1; i < times.size(); i++) {
      if (times.get(i) - times.get(i - 1) < SECOND / 50) {
        shortGaps++;
      }
    }
    // For exponential gaps, P(gap < mean) = 1 - 1/e.
    assertThat((double) shortGaps / (times.size() - 1)).isCloseTo(1 - Math.exp(-1), within(0.01));
  }

  @Test
  void should_repeat_the_same_schedule_for_the_same_seed() {
    assertThat(dueTimes(new ChurnSchedule(5, Arrivals.POISSON, 7), 60 * SECOND))
        .isEqualTo(dueTimes(new ChurnSchedule(5, Arrivals.POISSON, 7), 60 * SECOND))
        .isNotEqualTo(dueTimes(new ChurnSchedule(5, Arrivals.POISSON, 8), 60 * SECOND));
  }

  @Test
  void should_refuse_a_rate_that_is_not_positive() {
    assertThatThrownBy(() -> new ChurnSchedule(0, Arrivals.FIXED, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChurnSchedule(Double.NaN, Arrivals.POISSON, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
