package dev.messenger.loadgen.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.Message;
import dev.messenger.loadgen.run.ConversationLedger.MessageKey;
import dev.messenger.loadgen.run.MessageHeader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryCheckTest {
  private static final String RUN = "r1";
  private static final String CONVERSATION = "dm:lg-r1-u0:lg-r1-u1";

  @Test
  void should_read_again_after_the_retry_delay_while_history_limits_the_rate() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    List<Long> paused = new java.util.ArrayList<>();
    String page = HistoryCheck.afterRateLimits(() -> {
      if (calls.incrementAndGet() <= 2) {
        throw dev.messenger.common.errors.ApiErrors.withRetryAfter(io.grpc.Status.Code.RESOURCE_EXHAUSTED,
            "READ_RATE_LIMITED", "slow down", java.time.Duration.ofMillis(40));
      }
      return "page";
    }, paused::add);

    assertThat(page).isEqualTo("page");
    assertThat(paused).containsExactly(40L, 40L);
  }

  @Test
  void should_not_retry_other_errors() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistoryCheck.afterRateLimits(() -> {
      throw dev.messenger.common.errors.ApiErrors.permissionDenied("NOT_A_MEMBER", "no");
    }, millis -> { throw new AssertionError("paused"); })).isInstanceOf(io.grpc.StatusRuntimeException.class);
  }

  @Test
  void should_find_nothing_wrong_when_history_holds_every_acknowledged_message_at_its_place() {
    HistoryCheck.Verdict verdict = HistoryCheck.verdict(RUN, copy(Map.of(key(0, 1), 1L, key(1, 1), 2L)),
        List.of(message(1, 0, 1), message(2, 1, 1)));

    assertThat(verdict.complete()).isTrue();
    assertThat(verdict.read).isEqualTo(2);
    assertThat(verdict.duplicated + verdict.misplaced).isZero();
  }

  @Test
  void should_count_an_acknowledged_message_history_does_not_hold_as_missing_and_its_hole_as_a_gap() {
    HistoryCheck.Verdict verdict = HistoryCheck.verdict(RUN,
        copy(Map.of(key(0, 1), 1L, key(0, 2), 2L, key(0, 3), 3L)), List.of(message(1, 0, 1), message(3, 0, 3)));

    assertThat(verdict.missing).isEqualTo(1);
    assertThat(verdict.gaps).isEqualTo(1);
    assertThat(verdict.complete()).isFalse();
  }

  @Test
  void should_count_a_message_stored_twice_and_one_stored_elsewhere_than_its_acknowledgement_said() {
    HistoryCheck.Verdict verdict = HistoryCheck.verdict(RUN, copy(Map.of(key(0, 1), 1L, key(0, 2), 2L)),
        List.of(message(1, 0, 1), message(2, 0, 1), message(3, 0, 2)));

    assertThat(verdict.duplicated).isEqualTo(1);
    assertThat(verdict.misplaced).as("the second copy of (0,1) at seq 2 and (0,2) at 3").isEqualTo(2);
    assertThat(verdict.missing).isZero();
  }

  @Test
  void should_accept_a_place_the_acknowledgement_did_not_give_and_ignore_messages_of_other_runs() {
    Map<MessageKey, Long> acked = new LinkedHashMap<>();
    acked.put(key(0, 1), 0L);
    HistoryCheck.Verdict verdict = HistoryCheck.verdict(RUN, copy(acked),
        List.of(Message.newBuilder().setSeq(1).setBody("hello").build(), message(2, 0, 1)));

    assertThat(verdict.complete()).isTrue();
    assertThat(verdict.misplaced).isZero();
  }

  private static HistoryCheck.Copy copy(Map<MessageKey, Long> acked) {
    return new HistoryCheck.Copy(CONVERSATION, "lg-r1-u0", acked);
  }

  private static MessageKey key(int device, int seq) {
    return new MessageKey(device, seq);
  }

  private static Message message(long seq, int device, int senderSeq) {
    return Message.newBuilder().setConversationId(CONVERSATION).setSeq(seq)
        .setBody(new MessageHeader(RUN, device, senderSeq, 0).body(40)).build();
  }
}
