package dev.messenger.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Devices 10 and 11 (user A) and 20 (user B) share a conversation: every message expects 3 deliveries. */
class ConversationLedgerTest {
  private final ConversationLedger ledger = new ConversationLedger("dm:a:b", new int[] {20, 10, 11});
  private final int a1 = ledger.slotOf(10);
  private final int a2 = ledger.slotOf(11);
  private final int b = ledger.slotOf(20);

  private void deliverEverywhere(int sender, int seq, long conversationSeq) {
    assertThat(ledger.delivered(a1, sender, seq, conversationSeq)).isEqualTo(ConversationLedger.Verdict.FIRST);
    assertThat(ledger.delivered(a2, sender, seq, conversationSeq)).isEqualTo(ConversationLedger.Verdict.FIRST);
    assertThat(ledger.delivered(b, sender, seq, conversationSeq))
        .isEqualTo(ConversationLedger.Verdict.FIRST_AT_LAST_PARTICIPANT);
  }

  @Test
  void should_tell_which_first_arrival_completes_a_message_whatever_the_order_and_duplicates() {
    int seq = ledger.schedule(b);
    ledger.acked(b, seq);
    assertThat(ledger.delivered(b, b, seq, 1)).isEqualTo(ConversationLedger.Verdict.FIRST);
    assertThat(ledger.delivered(b, b, seq, 1)).isEqualTo(ConversationLedger.Verdict.DUPLICATE);
    assertThat(ledger.delivered(a2, b, seq, 1)).isEqualTo(ConversationLedger.Verdict.FIRST);
    assertThat(ledger.delivered(a1, b, seq, 1)).isEqualTo(ConversationLedger.Verdict.FIRST_AT_LAST_PARTICIPANT);
  }

  @Test
  void should_expect_every_device_of_both_members_including_the_sender() {
    int first = ledger.schedule(a1);
    int second = ledger.schedule(a1);
    ledger.acked(a1, first);
    ledger.acked(a1, second);
    deliverEverywhere(a1, first, 1);
    deliverEverywhere(a1, second, 2);

    Tally tally = ledger.tally();

    assertThat(tally.sent()).isEqualTo(2);
    assertThat(tally.acked()).isEqualTo(2);
    assertThat(tally.expectedDeliveries()).isEqualTo(6);
    assertThat(tally.delivered()).isEqualTo(6);
    assertThat(tally.deliveredOfAcked()).isEqualTo(6);
    assertThat(tally.lost() + tally.duplicated() + tally.outOfOrder() + tally.foreign()).isZero();
    assertThat(ledger.slotOf(99)).isEqualTo(-1);
  }

  @Test
  void should_count_lost_deliveries_of_acknowledged_messages_only() {
    int acked = ledger.schedule(b);
    int unanswered = ledger.schedule(b);
    int rejected = ledger.schedule(b);
    ledger.acked(b, acked);
    ledger.failed(b, rejected);
    ledger.delivered(b, b, acked, 1);

    Tally tally = ledger.tally();

    assertThat(tally.lost()).isEqualTo(2);
    assertThat(tally.lostMessages()).isEqualTo(1);
    assertThat(tally.failed()).isEqualTo(1);
    assertThat(tally.unresolved()).isEqualTo(1);
    assertThat(unanswered).isEqualTo(2);
  }

  @Test
  void should_tell_a_device_stalled_before_a_lost_message_from_one_that_went_past_it() {
    int missed = ledger.schedule(a1);
    int later = ledger.schedule(a1);
    ledger.acked(a1, missed, 7);
    ledger.acked(a1, later, 8);
    ledger.delivered(a1, a1, missed, 7);
    ledger.delivered(a1, a1, later, 8);
    ledger.delivered(a2, a1, later, 8); // a2 went past seq 7; b got neither

    Tally tally = ledger.tally().withLostAtDrainEnd(5);

    assertThat(tally.lost()).isEqualTo(3);
    assertThat(tally.lostBehind()).as("b's two, not a2's skipped seq 7").isEqualTo(2);
    assertThat(tally.lateAfterDrain()).isEqualTo(2);
    assertThat(Tally.fromMap(tally.toMap())).isEqualTo(tally);
  }

  @Test
  void should_count_a_message_delivered_twice_as_a_duplicate_not_twice_delivered() {
    int seq = ledger.schedule(a2);
    ledger.acked(a2, seq);
    deliverEverywhere(a2, seq, 1);

    assertThat(ledger.delivered(b, a2, seq, 2)).isEqualTo(ConversationLedger.Verdict.DUPLICATE);

    Tally tally = ledger.tally();
    assertThat(tally.duplicated()).isEqualTo(1);
    assertThat(tally.delivered()).isEqualTo(3);
    assertThat(tally.lost()).isZero();
  }

  @Test
  void should_count_a_sender_order_inversion_and_a_conversation_seq_going_back() {
    int first = ledger.schedule(a1);
    int second = ledger.schedule(a1);
    ledger.delivered(b, a1, second, 1);
    ledger.delivered(b, a1, first, 2);
    int third = ledger.schedule(a1);
    ledger.delivered(a2, a1, third, 5);
    ledger.delivered(a2, a1, second, 4);

    assertThat(ledger.tally().outOfOrder()).isEqualTo(2);
  }

  @Test
  void should_call_deliveries_no_send_explains_foreign() {
    ledger.schedule(a1);

    assertThat(ledger.delivered(b, a1, 2, 1)).isEqualTo(ConversationLedger.Verdict.FOREIGN);
    assertThat(ledger.delivered(-1, a1, 1, 1)).isEqualTo(ConversationLedger.Verdict.FOREIGN);
    assertThat(ledger.tally().foreign()).isEqualTo(2);
  }

  @Test
  void should_keep_an_ack_that_arrived_before_a_failure() {
    int seq = ledger.schedule(a1);
    ledger.acked(a1, seq);
    ledger.failed(a1, seq);

    assertThat(ledger.tally().acked()).isEqualTo(1);
    assertThat(ledger.ackedMessages()).containsExactly(new ConversationLedger.MessageKey(10, 1));
  }

  @Test
  void should_grow_past_its_initial_capacity() {
    for (int i = 1; i <= 1000; i++) {
      int seq = ledger.schedule(b);
      ledger.acked(b, seq);
      deliverEverywhere(b, seq, i);
    }
    Tally tally = ledger.tally();
    assertThat(tally.acked()).isEqualTo(1000);
    assertThat(tally.deliveredOfAcked()).isEqualTo(3000);
    assertThat(tally.outOfOrder()).isZero();
  }
}
