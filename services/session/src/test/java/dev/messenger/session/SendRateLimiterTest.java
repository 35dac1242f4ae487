package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendRateLimiterTest {
  private final AtomicLong nanos = new AtomicLong();
  private final AtomicLong ids = new AtomicLong();
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
    assertThat(limiter.acquire("alice", next())).isEqualTo(Duration.ofMillis(100));
    nanos.addAndGet(40_000_000L);
    assertThat(limiter.acquire("alice", next())).isEqualTo(Duration.ofMillis(60));
    nanos.addAndGet(60_000_000L);
    assertThat(limiter.acquire("alice", next())).isEqualTo(Duration.ZERO);
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
    assertThat(limiter.acquire("bob", next())).isEqualTo(Duration.ZERO);
    assertThat(limiter.acquire("alice", next())).isPositive();
  }

  @Test
  void should_forget_the_buckets_that_filled_up_again_and_keep_the_others() {
    drain("alice");
    limiter.acquire("bob", next());
    nanos.addAndGet(1_900_000_000L);
    assertThat(limiter.sweep()).as("bob's single send is refilled; alice's 20 are not yet").isEqualTo(1);
    assertThat(limiter.tracked()).isEqualTo(1);
    assertThat(limiter.acquire("alice", next())).as("alice is still limited after the sweep").isEqualTo(Duration.ZERO);
    nanos.addAndGet(2_000_000_000L);
    assertThat(limiter.sweep()).isEqualTo(1);
    assertThat(limiter.tracked()).isZero();
  }

  @Test
  void should_charge_the_messages_the_user_sent_through_other_servers() {
    for (int i = 0; i < 15; i++) {
      limiter.committed("alice", "elsewhere-" + i);
    }
    assertThat(drain("alice")).as("a burst of 20, 15 of it used on another server").isEqualTo(5);
    assertThat(drain("bob")).isEqualTo(20);
  }

  @Test
  void should_not_charge_again_for_a_message_admitted_here() {
    limiter.acquire("alice", "here-1");
    limiter.acquire("alice", "here-2");
    limiter.committed("alice", "here-2");
    limiter.committed("alice", "here-1");
    assertThat(drain("alice")).isEqualTo(18);
  }

  /** Two servers each flooded by the same user: every admission on one is a charge on the other. */
  @Test
  void should_hold_a_user_flooding_through_two_servers_to_one_rate() {
    SendRateLimiter other = new SendRateLimiter(10, nanos::get);
    int allowed = 0;
    for (int tick = 0; tick <= 100; tick++) {
      for (SendRateLimiter[] pair : new SendRateLimiter[][] {{limiter, other}, {other, limiter}}) {
        for (int i = 0; i < 5; i++) {
          String id = next();
          if (pair[0].acquire("alice", id).isZero()) {
            allowed++;
            pair[0].committed("alice", id);
            pair[1].committed("alice", id);
          }
        }
      }
      nanos.addAndGet(100_000_000L);
    }
    assertThat(allowed).as("10 s at 10/s after a burst of 20, shared by the two servers").isBetween(120, 125);
  }

  @Test
  void should_let_charges_take_a_bucket_into_debt_of_at_most_a_burst() {
    for (int i = 0; i < 1_000; i++) {
      limiter.committed("alice", "elsewhere-" + i);
    }
    nanos.addAndGet(1_000_000_000L);
    assertThat(limiter.acquire("alice", next())).as("10 tokens refilled pay half the debt").isPositive();
    nanos.addAndGet(1_100_000_000L);
    assertThat(limiter.acquire("alice", next())).as("21 refilled pay the debt of 20 and a send")
        .isEqualTo(Duration.ZERO);
  }

  private String next() {
    return "m-" + ids.incrementAndGet();
  }

  private int drain(String user) {
    int allowed = 0;
    while (limiter.acquire(user, next()).isZero()) {
      allowed++;
    }
    return allowed;
  }
}
