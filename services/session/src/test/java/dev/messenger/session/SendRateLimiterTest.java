package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendRateLimiterTest {
  private final AtomicLong nanos = new AtomicLong();
  private final SendRateLimiter limiter = new SendRateLimiter(10, nanos::get);

  @Test
  void should_allow_a_burst_of_twice_the_rate_then_refill_at_the_rate() {
    int allowed = 0;
    while (limiter.tryAcquire("alice")) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(20);
    nanos.addAndGet(500_000_000L);
    int refilled = 0;
    while (limiter.tryAcquire("alice")) {
      refilled++;
    }
    assertThat(refilled).isEqualTo(5);
  }

  @Test
  void should_limit_users_independently() {
    while (limiter.tryAcquire("alice")) {
      // drain alice's bucket
    }
    assertThat(limiter.tryAcquire("bob")).isTrue();
    assertThat(limiter.tryAcquire("alice")).isFalse();
  }
}
