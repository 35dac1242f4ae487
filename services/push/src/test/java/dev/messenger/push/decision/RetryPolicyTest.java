package dev.messenger.push.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 4);

  @Test
  void should_double_the_wait_up_to_the_maximum() {
    assertThat(policy.delayAfter(1, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delayAfter(2, Optional.empty())).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delayAfter(4, Optional.empty())).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.delayAfter(9, Optional.empty())).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void should_never_retry_sooner_than_retry_after_but_cap_it() {
    assertThat(policy.delayAfter(1, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
    assertThat(policy.delayAfter(4, Optional.of(Duration.ofSeconds(2)))).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.delayAfter(1, Optional.of(Duration.ofDays(2)))).isEqualTo(RetryPolicy.MAX_RETRY_AFTER);
  }

  @Test
  void should_stop_after_the_last_attempt() {
    assertThat(policy.mayRetry(3)).isTrue();
    assertThat(policy.mayRetry(4)).isFalse();
  }
}
