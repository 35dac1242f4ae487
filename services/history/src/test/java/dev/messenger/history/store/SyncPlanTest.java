package dev.messenger.history.store;

import dev.messenger.common.ConversationIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Message;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SyncPlanTest {
  @Test
  void should_read_only_conversations_behind_the_cursor() {
    Cursor cursor = Cursor.newBuilder().putSeqs("dm:a:b", 5).putSeqs("dm:a:c", 9).build();
    List<ConversationRow> rows = List.of(row("dm:a:b", 8), row("dm:a:c", 9), row("g:new", 2));

    SyncPlan plan = SyncPlan.of(cursor, rows, 100);

    assertThat(plan.reads())
        .containsExactly(new SyncPlan.Read("dm:a:b", 5, 8, 3), new SyncPlan.Read("g:new", 0, 2, 2));
    assertThat(plan.allPlanned()).isTrue();
  }

  @Test
  void should_stop_planning_when_the_budget_is_spent() {
    List<ConversationRow> rows = List.of(row("dm:a:b", 8), row("dm:a:c", 9), row("g:x", 1));

    SyncPlan plan = SyncPlan.of(Cursor.getDefaultInstance(), rows, 10);

    assertThat(plan.reads())
        .containsExactly(new SyncPlan.Read("dm:a:b", 0, 8, 8), new SyncPlan.Read("dm:a:c", 0, 9, 2));
    assertThat(plan.allPlanned()).isFalse();
  }

  @Test
  void should_advance_the_cursor_and_report_completeness() {
    Cursor cursor = Cursor.newBuilder().putSeqs("dm:a:b", 5).putSeqs("other", 3).build();
    SyncPlan plan = SyncPlan.of(cursor, List.of(row("dm:a:b", 8)), 100);

    SyncResult result = plan.assemble(cursor, List.of(messages("dm:a:b", 6, 8)), 1_000L, 1);

    assertThat(result.messages()).extracting(Message::getSeq).containsExactly(6L, 7L, 8L);
    assertThat(result.nextCursor().getSeqsMap()).containsEntry("dm:a:b", 8L).containsEntry("other", 3L);
    assertThat(result.complete()).isTrue();
    assertThat(result.nextCursor().getSyncedAtMs()).as("complete: synced as of the read's start").isEqualTo(1_000L);
  }

  @Test
  void should_be_incomplete_when_a_read_was_cut_by_the_budget() {
    Cursor cursor = Cursor.getDefaultInstance();
    SyncPlan plan = SyncPlan.of(cursor, List.of(row("dm:a:b", 8)), 3);

    SyncResult result = plan.assemble(cursor, List.of(messages("dm:a:b", 1, 3)), 1_000L, 1);

    assertThat(result.nextCursor().getSeqsMap()).containsEntry("dm:a:b", 3L);
    assertThat(result.complete()).isFalse();
    assertThat(result.nextCursor().getSyncedAtMs()).as("incomplete: the old sync time stays").isZero();
  }

  @Test
  void should_be_complete_when_a_late_joiner_has_no_earlier_copies() {
    Cursor cursor = Cursor.getDefaultInstance();
    SyncPlan plan = SyncPlan.of(cursor, List.of(row("g:team", 100)), 500);

    SyncResult result = plan.assemble(cursor, List.of(messages("g:team", 90, 100)), 1_000L, 1);

    assertThat(result.messages()).hasSize(11);
    assertThat(result.complete()).isTrue();
  }

  private static ConversationRow row(String id, long lastSeq) {
    return new ConversationRow(id, ConversationIds.kindOf(id) == ConversationKind.CONVERSATION_KIND_UNSPECIFIED
        ? ConversationKind.CONVERSATION_KIND_GROUP : ConversationIds.kindOf(id), "", "", lastSeq,
        Message.getDefaultInstance(), 0, 0);
  }

  private static List<Message> messages(String conversationId, long from, long to) {
    return LongStream.rangeClosed(from, to)
        .mapToObj(seq -> Message.newBuilder().setConversationId(conversationId).setSeq(seq).build())
        .toList();
  }
}
