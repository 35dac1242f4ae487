package dev.messenger.systemtests.history;

import static dev.messenger.systemtests.history.HistoryFixture.await;
import static dev.messenger.systemtests.history.HistoryFixture.text;
import static dev.messenger.systemtests.history.HistoryFixture.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.ConversationSummary;
import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Message;
import dev.messenger.history.store.HistoryReader;
import dev.messenger.history.store.ReceiptStore;
import dev.messenger.history.store.SyncResult;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Conversation lists, unread counts, catch-up from a cursor, and receipts that never move backwards. */
@WithRealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HistoryReaderIT {
  private HistoryFixture fixture;
  private HistoryReader reader;
  private ReceiptStore receipts;

  @BeforeAll
  void createStore(InfrastructureEndpoints endpoints) {
    fixture = HistoryFixture.create(endpoints);
    reader = fixture.store.reader();
    receipts = fixture.store.receipts();
  }

  @AfterAll
  void dropStore() {
    fixture.close();
  }

  @Test
  void should_list_conversations_newest_first_with_unread_counts() {
    // alice talks to bob (oldest activity), then carol, then dave writes last.
    send("dm:l-alice:l-bob", List.of("l-alice", "l-bob"), 1, "l-bob", 100);
    send("dm:l-alice:l-bob", List.of("l-alice", "l-bob"), 2, "l-bob", 101);
    send("dm:l-alice:l-bob", List.of("l-alice", "l-bob"), 3, "l-bob", 102);
    send("dm:l-alice:l-carol", List.of("l-alice", "l-carol"), 1, "l-carol", 200);
    send("dm:l-alice:l-carol", List.of("l-alice", "l-carol"), 2, "l-alice", 201);
    send("dm:l-alice:l-dave", List.of("l-alice", "l-dave"), 1, "l-dave", 300);

    List<ConversationSummary> list = await(reader.conversations("l-alice"));

    assertThat(list).extracting(ConversationSummary::getConversationId)
        .containsExactly("dm:l-alice:l-dave", "dm:l-alice:l-carol", "dm:l-alice:l-bob");
    assertThat(list).extracting(ConversationSummary::getUnreadCount).containsExactly(1L, 0L, 3L);
    assertThat(list).extracting(ConversationSummary::getPeerUserId).containsExactly("l-dave", "l-carol", "l-bob");
    assertThat(list.get(2).getLastMessage().getSeq()).isEqualTo(3);
    // Sending marked the conversation read for the sender only.
    assertThat(await(reader.conversations("l-bob")).get(0).getUnreadCount()).isZero();
    assertThat(await(reader.conversations("l-carol")).get(0).getUnreadCount()).isEqualTo(1);

    await(receipts.recordRead("l-alice", "dm:l-alice:l-bob", 2));
    assertThat(await(reader.conversations("l-alice")).get(2))
        .satisfies(bob -> {
          assertThat(bob.getReadSeq()).isEqualTo(2);
          assertThat(bob.getUnreadCount()).isEqualTo(1);
        });
    assertThat(await(reader.conversations("l-nobody"))).isEmpty();
  }

  @Test
  void should_return_exactly_the_missing_messages_after_a_cursor() {
    List<Message> first = texts("dm:s-ann:s-ben", 1, 40, "s-ann", "s-ben");
    List<Message> second = texts("dm:s-ann:s-cal", 1, 25, "s-ann", "s-cal");
    fixture.commitAndFanOut(List.of("s-ann", "s-ben"), first, 40);
    fixture.commitAndFanOut(List.of("s-ann", "s-cal"), second, 25);
    Cursor cursor =
        Cursor.newBuilder().putSeqs("dm:s-ann:s-ben", 30).putSeqs("dm:s-ann:s-cal", 25).putSeqs("g:gone", 7).build();

    SyncResult result = await(reader.since("s-ann", cursor, 500));

    assertThat(result.messages()).isEqualTo(first.subList(30, 40));
    assertThat(result.complete()).isTrue();
    assertThat(result.nextCursor().getSeqsMap())
        .containsExactlyInAnyOrderEntriesOf(Map.of("dm:s-ann:s-ben", 40L, "dm:s-ann:s-cal", 25L, "g:gone", 7L));
    SyncResult nothing = await(reader.since("s-ann", result.nextCursor(), 500));
    assertThat(nothing.messages()).isEmpty();
    assertThat(nothing.complete()).isTrue();
  }

  @Test
  void should_catch_up_in_bounded_batches_until_complete() {
    List<Message> first = texts("dm:b-amy:b-bo", 1, 1200, "b-amy", "b-bo");
    List<Message> second = texts("dm:b-amy:b-cy", 1, 300, "b-amy", "b-cy");
    fixture.commitAndFanOut(List.of("b-amy", "b-bo"), first, 400);
    fixture.commitAndFanOut(List.of("b-amy", "b-cy"), second, 300);

    Cursor cursor = Cursor.newBuilder().setSyncedAtMs(1).build(); // synced before: not a first sync
    List<Message> received = new ArrayList<>();
    int calls = 0;
    SyncResult result;
    do {
      result = await(reader.since("b-amy", cursor, 250));
      assertThat(result.messages()).hasSizeLessThanOrEqualTo(250);
      received.addAll(result.messages());
      cursor = result.nextCursor();
      calls++;
    } while (!result.complete());

    assertThat(calls).isEqualTo(6);
    assertThat(received).hasSize(1500).doesNotHaveDuplicates();
    assertThat(received.stream().filter(m -> m.getConversationId().equals("dm:b-amy:b-bo")).toList())
        .isEqualTo(first);
    assertThat(received.stream().filter(m -> m.getConversationId().equals("dm:b-amy:b-cy")).toList())
        .isEqualTo(second);
    assertThat(cursor.getSeqsMap()).containsEntry("dm:b-amy:b-bo", 1200L).containsEntry("dm:b-amy:b-cy", 300L);
  }

  @Test
  void should_never_move_read_markers_or_delivered_cursors_backwards() {
    String conversation = "dm:r-ada:r-bea";
    fixture.commitAndFanOut(List.of("r-ada", "r-bea"), texts(conversation, 1, 12, "r-bea"), 12);

    await(receipts.recordRead("r-ada", conversation, 5));
    await(receipts.recordRead("r-ada", conversation, 3));
    await(receipts.recordRead("r-ada", conversation, 0));
    assertThat(await(receipts.readSeq("r-ada", conversation))).isEqualTo(5);
    await(receipts.recordRead("r-ada", conversation, 9));
    assertThat(await(receipts.readSeq("r-ada", conversation))).isEqualTo(9);
    assertThat(await(receipts.readSeq("r-ada", "dm:r-ada:r-zed"))).isZero();

    await(receipts.recordDelivered("r-ada", "phone", conversation, 10));
    await(receipts.recordDelivered("r-ada", "phone", conversation, 7));
    await(receipts.recordDelivered("r-ada", "laptop", conversation, 4));
    await(receipts.recordDelivered("r-ada", "laptop", "g:other", 2));
    assertThat(await(receipts.deliveredCursors("r-ada")))
        .isEqualTo(Map.of("phone", Map.of(conversation, 10L), "laptop", Map.of(conversation, 4L, "g:other", 2L)));

    // Sending moves the sender's read marker; a late redo of an older fan-out does not move it back.
    String other = "dm:r-ada:r-cat";
    List<Message> chat = texts(other, 1, 6, "r-ada", "r-cat");
    fixture.commitAndFanOut(List.of("r-ada", "r-cat"), chat, 6);
    await(fixture.log.project(List.of("r-ada", "r-cat"), chat.subList(1, 2)));
    assertThat(await(receipts.readSeq("r-ada", other))).isEqualTo(6);
    assertThat(await(receipts.readSeq("r-cat", other))).isEqualTo(5);
  }

  private void send(String conversation, List<String> members, long seq, String sender, long timeMs) {
    Message message = text(conversation, seq, sender, "at " + timeMs).toBuilder().setServerTimeMs(timeMs).build();
    fixture.commitAndFanOut(members, List.of(message), 1);
  }
}
