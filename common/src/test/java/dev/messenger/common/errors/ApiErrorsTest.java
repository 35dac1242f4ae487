package dev.messenger.common.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {
  @Test
  void should_carry_code_reason_message_and_retry_hint_without_a_stack_trace() {
    StatusRuntimeException refused = ApiErrors.withRetryAfter(Status.Code.RESOURCE_EXHAUSTED, "OVERLOADED",
        "the router is at capacity", Duration.ofMillis(750));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getStatus().getDescription()).isEqualTo("the router is at capacity");
    assertThat(ApiErrors.reasonOf(refused)).isEqualTo("OVERLOADED");
    assertThat(ApiErrors.retryAfterMillisOf(refused)).isEqualTo(750);
    assertThat(StatusProto.fromThrowable(refused).getMessage()).isEqualTo("the router is at capacity");
    assertThat(refused.getStackTrace()).isEmpty();
  }

  @Test
  void should_build_resource_exhausted_refusals_the_same_way() {
    StatusRuntimeException refused = ApiErrors.resourceExhausted("RATE_LIMITED", "slow down");

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ApiErrors.reasonOf(refused)).isEqualTo("RATE_LIMITED");
    assertThat(ApiErrors.retryAfterMillisOf(refused)).isZero();
    assertThat(ApiErrors.isRetryable(refused)).isTrue();
    assertThat(refused.getStackTrace()).isEmpty();
  }

  @Test
  void should_keep_the_stack_trace_of_other_errors() {
    assertThat(ApiErrors.invalidArgument("BODY_TOO_LONG", "too long").getStackTrace()).isNotEmpty();
  }
}
