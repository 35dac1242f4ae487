package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryLanesTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final RetryLanes lanes = new RetryLanes(now::get);

  @Test
  void should_tell_when_a_conversations_latest_resend_fires() {
    lanes.retryingIn("c1", Duration.ofSeconds(3));
    lanes.retryingIn("c1", Duration.ofSeconds(1));

    assertThat(lanes.untilLastRetry("c1")).isEqualTo(Duration.ofSeconds(3));
    assertThat(lanes.untilLastRetry("c2")).isZero();

    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(lanes.untilLastRetry("c1")).isEqualTo(Duration.ofSeconds(1));
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(lanes.untilLastRetry("c1")).isZero();
  }
}
