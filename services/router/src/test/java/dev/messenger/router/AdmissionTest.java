package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.messenger.common.errors.ApiErrors;
import io.grpc.Status;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  @Test
  void should_refuse_beyond_the_limit_and_admit_again_once_a_send_is_answered() {
    Admission admission = new Admission(SimpleLimiter.newBuilder().limit(FixedLimit.of(2)).build());

    Optional<Admission.Ticket> first = admission.admit();
    Optional<Admission.Ticket> second = admission.admit();
    assertThat(first).isPresent();
    assertThat(second).isPresent();
    assertThat(admission.admit()).as("a third send in progress").isEmpty();

    first.get().done(true);
    assertThat(admission.admit()).isPresent();
  }

  @Test
  void should_tell_a_refused_sender_when_to_retry_within_a_second_spread_over_senders() {
    var hints = IntStream.range(0, 200).mapToObj(i -> Admission.overloaded()).toList();
    assertThat(hints).allSatisfy(refused -> {
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(ApiErrors.reasonOf(refused)).isEqualTo("OVERLOADED");
      assertThat(ApiErrors.retryAfterMillisOf(refused)).isBetween(500L, 1000L);
    });
    assertThat(hints.stream().map(ApiErrors::retryAfterMillisOf).distinct().count()).as("spread").isGreaterThan(50);
    assertThat(ApiErrors.retryAfterMillisOf(ApiErrors.unavailable("X", "no hint"))).isZero();
  }
}
