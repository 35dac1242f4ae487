package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BackoffTest {
  private final TestClock clock = new TestClock();

  /** A Random whose nextDouble always returns the same value. */
  private static Random fixed(double value) {
    return new Random() {
      private static final long serialVersionUID = 1L;

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  private static List<Long> delaysMillis(Backoff backoff, int count) {
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      delays.add(backoff.nextDelay().toMillis());
    }
    return delays;
  }

  @Test
  void should_double_the_ceiling_from_200ms_up_to_10s() {
    Backoff backoff = new Backoff(BackoffSettings.DEFAULT, clock, fixed(Math.nextDown(1.0)));

    assertThat(delaysMillis(backoff, 9))
        .containsExactly(200L, 400L, 800L, 1600L, 3200L, 6400L, 10_000L, 10_000L, 10_000L);
  }

  @Test
  void should_apply_full_jitter_between_zero_and_the_ceiling() {
    Backoff low = new Backoff(BackoffSettings.DEFAULT, clock, fixed(0.0));
    Backoff half = new Backoff(BackoffSettings.DEFAULT, clock, fixed(0.5));

    assertThat(delaysMillis(low, 5)).containsOnly(0L);
    assertThat(delaysMillis(half, 4)).containsExactly(100L, 200L, 400L, 800L);
  }

  @Test
  void should_stay_within_bounds_with_real_randomness() {
    Backoff backoff = new Backoff(BackoffSettings.DEFAULT, clock, new Random(42));

    for (int attempt = 0; attempt < 200; attempt++) {
      Duration ceiling = backoff.ceiling(attempt);
      Duration delay = backoff.nextDelay();
      assertThat(delay).isBetween(Duration.ZERO, ceiling);
      assertThat(ceiling).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }
    List<Long> sample = delaysMillis(backoff, 50);
    assertThat(sample.stream().distinct().count()).as("jittered, not constant").isGreaterThan(10);
  }

  @Test
  void should_start_over_after_a_stable_connection() {
    Backoff backoff = new Backoff(BackoffSettings.DEFAULT, clock, fixed(Math.nextDown(1.0)));
    delaysMillis(backoff, 5);

    backoff.connected();
    clock.advance(Duration.ofSeconds(10));

    assertThat(delaysMillis(backoff, 2)).containsExactly(200L, 400L);
  }

  @Test
  void should_keep_growing_after_a_short_connection() {
    Backoff backoff = new Backoff(BackoffSettings.DEFAULT, clock, fixed(Math.nextDown(1.0)));
    delaysMillis(backoff, 3);

    backoff.connected();
    clock.advance(Duration.ofSeconds(2));

    assertThat(backoff.nextDelay().toMillis()).isEqualTo(1600L);
  }
}
