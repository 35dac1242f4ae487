package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendRateLimiterTest {
  private final AtomicLong nanos = new AtomicLong();
  private final SendRateLimiter limiter = new SendRateLimiter(10, nanos::get);

  @Test
  void should_allow_a_burst_of_twice_the_rate_then_refill_at_the_rate() {
    assertThat(drain("alice")).isEqualTo(20);
    nanos.addAndGet(500_000_000L);
    assertThat(drain("alice")).isEqualTo(5);
  }

  @Test
  void should_say_how_long_until_the_next_token() {
    drain("alice");
    assertThat(limiter.acquire("alice")).isEqualTo(Duration.ofMillis(100));
    nanos.addAndGet(40_000_000L);
    assertThat(limiter.acquire("alice")).isEqualTo(Duration.ofMillis(60));
    nanos.addAndGet(60_000_000L);
    assertThat(limiter.acquire("alice")).isEqualTo(Duration.ZERO);
  }

  @Test
  void should_hold_a_long_flood_to_the_rate() {
    int allowed = drain("alice");
    for (int tick = 0; tick < 100; tick++) {
      nanos.addAndGet(100_000_000L);
      allowed += drain("alice");
    }
    assertThat(allowed).as("10 s at 10/s after a burst of 20").isEqualTo(120);
  }

  @Test
  void should_limit_users_independently() {
    drain("alice");
    assertThat(limiter.acquire("bob")).isEqualTo(Duration.ZERO);
    assertThat(limiter.acquire("alice")).isPositive();
  }

  @Test
  void should_forget_the_buckets_that_filled_up_again_and_keep_the_others() {
    drain("alice");
    limiter.acquire("bob");
    nanos.addAndGet(1_900_000_000L);
    assertThat(limiter.sweep()).as("bob's single send is refilled; alice's 20 are not yet").isEqualTo(1);
    assertThat(limiter.tracked()).isEqualTo(1);
    assertThat(limiter.acquire("alice")).as("alice is still limited after the sweep").isEqualTo(Duration.ZERO);
    nanos.addAndGet(2_000_000_000L);
    assertThat(limiter.sweep()).isEqualTo(1);
    assertThat(limiter.tracked()).isZero();
  }

  private int drain(String user) {
    int allowed = 0;
    while (limiter.acquire(user).isZero()) {
      allowed++;
    }
    return allowed;
  }
}
