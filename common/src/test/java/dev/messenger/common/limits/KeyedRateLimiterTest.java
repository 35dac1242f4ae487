package dev.messenger.common.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.errors.ApiErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyedRateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final KeyedRateLimiter limiter = new KeyedRateLimiter("READ_RATE_LIMITED", "reads", 10, 20, nanos::get);

  @Test
  void should_allow_a_burst_then_refill_at_the_rate() {
    assertThat(drain("alice")).isEqualTo(20);
    nanos.addAndGet(500_000_000L);
    assertThat(drain("alice")).isEqualTo(5);
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
  void should_say_how_long_until_the_next_token() {
    drain("alice");
    assertThat(limiter.acquire("alice")).isEqualTo(Duration.ofMillis(100));
    nanos.addAndGet(40_000_000L);
    assertThat(limiter.acquire("alice")).isEqualTo(Duration.ofMillis(60));
    nanos.addAndGet(60_000_000L);
    assertThat(limiter.acquire("alice")).isEqualTo(Duration.ZERO);
  }

  @Test
  void should_charge_into_debt_down_to_a_burst_so_later_checks_wait_longer() {
    for (int i = 0; i < 100; i++) {
      limiter.charge("alice");
    }
    assertThat(limiter.acquire("alice")).as("21 tokens owed: 2.1 s").isEqualTo(Duration.ofMillis(2_100));
    nanos.addAndGet(2_100_000_000L);
    assertThat(limiter.acquire("alice")).isZero();
  }

  @Test
  void should_keep_each_key_to_its_own_bucket() {
    drain("alice");
    assertThat(drain("bob")).isEqualTo(20);
  }

  @Test
  void should_refuse_with_the_reason_and_a_retry_delay() {
    drain("alice");
    assertThatThrownBy(() -> limiter.check("alice")).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(ApiErrors.reasonOf(e)).isEqualTo("READ_RATE_LIMITED");
      assertThat(ApiErrors.retryAfterMillisOf(e)).isEqualTo(100);
      assertThat(e.getStatus().getDescription()).contains("10 reads a second");
    });
  }

  @Test
  void should_forget_buckets_once_they_are_full_again() {
    drain("alice");
    limiter.acquire("bob");
    assertThat(limiter.tracked()).isEqualTo(2);
    nanos.addAndGet(150_000_000L); // bob is full again, alice has 1.5 of 20
    assertThat(limiter.sweep()).isEqualTo(1);
    assertThat(limiter.tracked()).isEqualTo(1);
    nanos.addAndGet(2_000_000_000L);
    assertThat(limiter.sweep()).isEqualTo(1);
    assertThat(limiter.tracked()).isZero();
  }

  @Test
  void should_sweep_by_itself_on_a_check_after_the_sweep_interval() {
    for (int i = 0; i < 1_000; i++) {
      limiter.acquire("user-" + i);
    }
    assertThat(limiter.tracked()).isEqualTo(1_000);
    nanos.addAndGet(KeyedRateLimiter.SWEEP_EVERY.toNanos());
    limiter.acquire("someone");
    assertThat(limiter.tracked()).as("only the new one").isEqualTo(1);
  }

  @Test
  void should_give_double_bursts_when_asked() {
    KeyedRateLimiter doubled = KeyedRateLimiter.withDoubleBurst("X", "things", 3, nanos::get);
    int allowed = 0;
    while (doubled.acquire("k").isZero()) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(6);
  }

  private int drain(String user) {
    int allowed = 0;
    while (limiter.acquire(user).isZero()) {
      allowed++;
    }
    return allowed;
  }

  @Test
  void should_count_its_refusals() {
    drain("alice");
    drain("bob");
    assertThat(limiter.refused()).as("one refusal ended each drain").isEqualTo(2);
    assertThat(limiter.reason()).isEqualTo("READ_RATE_LIMITED");
  }
}
