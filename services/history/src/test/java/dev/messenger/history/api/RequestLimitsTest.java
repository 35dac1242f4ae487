package dev.messenger.history.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.errors.ApiErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {
  @Test
  void should_default_and_bound_page_sizes() {
    assertThat(RequestLimits.pageSize(0)).isEqualTo(50);
    assertThat(RequestLimits.pageSize(1)).isEqualTo(1);
    assertThat(RequestLimits.pageSize(200)).isEqualTo(200);
    assertRejected(() -> RequestLimits.pageSize(201), "PAGE_SIZE_TOO_LARGE");
    assertRejected(() -> RequestLimits.pageSize(-1), "PAGE_SIZE_TOO_LARGE");
  }

  @Test
  void should_default_and_bound_sync_budgets() {
    assertThat(RequestLimits.syncMessages(0)).isEqualTo(500);
    assertThat(RequestLimits.syncMessages(2000)).isEqualTo(2000);
    assertRejected(() -> RequestLimits.syncMessages(2001), "MAX_MESSAGES_TOO_LARGE");
  }

  @Test
  void should_reject_seqs_beyond_a_signed_long_and_missing_ids() {
    assertThat(RequestLimits.seq(Long.MAX_VALUE, "after_seq")).isEqualTo(Long.MAX_VALUE);
    assertRejected(() -> RequestLimits.seq(-1, "after_seq"), "SEQ_OUT_OF_RANGE");
    assertRejected(() -> RequestLimits.conversationId(""), "CONVERSATION_ID_REQUIRED");
    assertRejected(() -> RequestLimits.conversationId("g:" + "x".repeat(300)), "INVALID_CONVERSATION_ID");
  }

  private static void assertRejected(Runnable call, String reason) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(ApiErrors.reasonOf(e)).isEqualTo(reason);
        });
  }
}
