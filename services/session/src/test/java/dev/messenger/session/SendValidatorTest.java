package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.api.v1.SendRequest;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.internal.v1.SubmitRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class SendValidatorTest {
  private static final Principal ALICE = new Principal("alice", "phone");

  @Test
  void should_resolve_a_send_to_a_user_into_their_direct_conversation() {
    SubmitRequest submit = SendValidator.validate(ALICE, send().setToUserId("bob").build());
    assertThat(submit.getConversationId()).isEqualTo("dm:alice:bob");
    assertThat(submit.getSenderUserId()).isEqualTo("alice");
    assertThat(submit.getSenderDeviceId()).isEqualTo("phone");
  }

  @Test
  void should_accept_exactly_100000_characters_counted_as_code_points() {
    String emoji = "\uD83D\uDE00"; // one code point, two chars
    String body = emoji.repeat(100_000);
    assertThat(SendValidator.validate(ALICE, send().setToUserId("bob").setBody(body).build()).getBody())
        .isEqualTo(body);
  }

  @Test
  void should_reject_bad_sends_with_precise_reasons() {
    assertRejected(send().setToUserId("bob").setBody(""), Status.Code.INVALID_ARGUMENT, "EMPTY_BODY");
    assertRejected(send().setToUserId("bob").setBody("x".repeat(100_001)), Status.Code.INVALID_ARGUMENT,
        "BODY_TOO_LONG");
    assertRejected(send().setClientMessageId("").setToUserId("bob"), Status.Code.INVALID_ARGUMENT,
        "INVALID_CLIENT_MESSAGE_ID");
    assertRejected(send().setClientMessageId("c".repeat(65)).setToUserId("bob"), Status.Code.INVALID_ARGUMENT,
        "INVALID_CLIENT_MESSAGE_ID");
    assertRejected(send().setToUserId("alice"), Status.Code.INVALID_ARGUMENT, "SELF_CONVERSATION");
    assertRejected(send().setToUserId("no spaces"), Status.Code.INVALID_ARGUMENT, "INVALID_USER_ID");
    assertRejected(send(), Status.Code.INVALID_ARGUMENT, "MISSING_TARGET");
    assertRejected(send().setConversationId("dm:bob:carol"), Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");
    assertRejected(send().setConversationId("dm:bob:alice"), Status.Code.INVALID_ARGUMENT,
        "MALFORMED_CONVERSATION_ID");
    assertRejected(send().setConversationId("whatever"), Status.Code.INVALID_ARGUMENT, "MALFORMED_CONVERSATION_ID");
    assertRejected(send().setConversationId("g:" + "x".repeat(255)), Status.Code.INVALID_ARGUMENT,
        "INVALID_CONVERSATION_ID");
  }

  private static SendRequest.Builder send() {
    return SendRequest.newBuilder().setClientMessageId("c1").setBody("hello");
  }

  private static void assertRejected(SendRequest.Builder request, Status.Code code, String reason) {
    assertThatThrownBy(() -> SendValidator.validate(ALICE, request.build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(ApiErrors.reasonOf(e)).isEqualTo(reason);
        });
  }
}
