package dev.messenger.systemtests.history;

import static dev.messenger.systemtests.history.HistoryFixture.await;
import static dev.messenger.systemtests.history.HistoryFixture.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.ConversationSummary;
import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Message;
import dev.messenger.history.store.ConversationInfo;
import dev.messenger.history.store.HistoryReader;
import dev.messenger.router.log.MessageLog;
import dev.messenger.history.store.MessagePage;
import dev.messenger.history.store.PageAnchor;
import dev.messenger.history.store.SyncResult;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Fan-out on write and the member's copies: idempotence, max-registers, pages across buckets, late joiners. */
@WithRealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FanOutIT {
  private HistoryFixture fixture;
  private MessageLog log;
  private HistoryReader reader;

  @BeforeAll
  void createStore(InfrastructureEndpoints endpoints) {
    fixture = HistoryFixture.create(endpoints);
    log = fixture.log;
    reader = fixture.store.reader();
  }

  @AfterAll
  void dropStore() {
    fixture.close();
  }

  @Test
  void should_give_every_member_the_same_copies_however_often_it_is_redone() {
    String conversation = "dm:fo-alice:fo-bob";
    List<String> members = List.of("fo-alice", "fo-bob");
    await(log.ensureDirectConversation(conversation, "fo-alice", "fo-bob"));
    List<Message> messages = texts(conversation, 1, 5, "fo-alice", "fo-bob");
    await(log.commit(conversation, messages, 1));

    await(log.project(members, messages));
    await(log.project(members, messages));
    await(log.project(members, messages.subList(1, 3)));

    for (String member : members) {
      MessagePage page = await(reader.page(member, conversation, PageAnchor.latest(), 50));
      assertThat(page.messages()).isEqualTo(messages);
      assertThat(page.hasMore()).isFalse();
      ConversationSummary summary = await(reader.conversations(member)).get(0);
      assertThat(summary.getLastSeq()).isEqualTo(5);
      assertThat(summary.getLastMessage()).isEqualTo(messages.get(4));
      assertThat(summary.getKind()).isEqualTo(ConversationKind.CONVERSATION_KIND_DIRECT);
    }
    assertThat(await(reader.conversations("fo-alice")).get(0).getPeerUserId()).isEqualTo("fo-bob");
    assertThat(await(reader.conversations("fo-bob")).get(0).getPeerUserId()).isEqualTo("fo-alice");
    ConversationInfo info = await(log.conversation(conversation)).orElseThrow();
    assertThat(info.projectedSeq()).isEqualTo(5);
    assertThat(info.lastSeq()).isEqualTo(5);
  }

  @Test
  void should_never_move_last_seq_back_when_an_old_fan_out_is_redone_late() {
    String conversation = "dm:late-a:late-b";
    List<String> members = List.of("late-a", "late-b");
    List<Message> messages = texts(conversation, 1, 7, "late-a", "late-b");
    fixture.commitAndFanOut(members, messages, 7);

    await(log.project(members, messages.subList(0, 3)));

    ConversationSummary summary = await(reader.conversations("late-a")).get(0);
    assertThat(summary.getLastSeq()).isEqualTo(7);
    assertThat(summary.getLastMessage()).isEqualTo(messages.get(6));
    assertThat(await(log.conversation(conversation)).orElseThrow().projectedSeq()).isEqualTo(7);
  }

  @Test
  void should_page_both_ways_across_buckets() {
    String conversation = "dm:page-a:page-b";
    List<Message> messages = texts(conversation, 1, 2100, "page-a", "page-b");
    fixture.commitAndFanOut(List.of("page-a", "page-b"), messages, 300);

    MessagePage newest = await(reader.page("page-a", conversation, PageAnchor.latest(), 50));
    assertThat(newest.messages()).isEqualTo(messages.subList(2050, 2100));
    assertThat(newest.hasMore()).isTrue();

    MessagePage acrossBoundary = await(reader.page("page-a", conversation, PageAnchor.before(1030), 20));
    assertThat(acrossBoundary.messages()).extracting(Message::getSeq).containsExactlyElementsOf(seqs(1010, 1029));
    assertThat(acrossBoundary.hasMore()).isTrue();

    MessagePage forward = await(reader.page("page-b", conversation, PageAnchor.after(1000), 50));
    assertThat(forward.messages()).isEqualTo(messages.subList(1000, 1050));
    assertThat(forward.hasMore()).isTrue();

    MessagePage end = await(reader.page("page-b", conversation, PageAnchor.after(2090), 50));
    assertThat(end.messages()).extracting(Message::getSeq).containsExactlyElementsOf(seqs(2091, 2100));
    assertThat(end.hasMore()).isFalse();

    MessagePage start = await(reader.page("page-b", conversation, PageAnchor.before(10), 50));
    assertThat(start.messages()).extracting(Message::getSeq).containsExactlyElementsOf(seqs(1, 9));
    assertThat(start.hasMore()).isFalse();

    MessagePage exact = await(reader.page("page-b", conversation, PageAnchor.before(11), 10));
    assertThat(exact.messages()).extracting(Message::getSeq).containsExactlyElementsOf(seqs(1, 10));
    assertThat(exact.hasMore()).isFalse();

    assertThat(await(reader.page("stranger", conversation, PageAnchor.latest(), 50)).messages()).isEmpty();
  }

  @Test
  void should_serve_a_late_joiner_only_what_it_received() {
    String group = "g:fo-team";
    List<Message> before = texts(group, 1, 1500, "t-a", "t-b");
    fixture.commitAndFanOut(List.of("t-a", "t-b"), before, 500);
    List<Message> after = texts(group, 1501, 1600, "t-a", "t-b", "t-c");
    fixture.commitAndFanOut(List.of("t-a", "t-b", "t-c"), after, 50);

    MessagePage newest = await(reader.page("t-c", group, PageAnchor.latest(), 200));
    assertThat(newest.messages()).isEqualTo(after);
    assertThat(newest.hasMore()).isFalse();
    assertThat(await(reader.page("t-c", group, PageAnchor.after(0), 30)).messages())
        .isEqualTo(after.subList(0, 30));

    SyncResult firstSync = await(reader.since("t-c", Cursor.getDefaultInstance(), 500));
    assertThat(firstSync.messages()).as("a new device gets the latest page").isEqualTo(after.subList(50, 100));
    assertThat(firstSync.complete()).isTrue();
    assertThat(firstSync.nextCursor().getSeqsMap()).containsEntry(group, 1600L);
    SyncResult sync = await(reader.since("t-c", Cursor.newBuilder().setSyncedAtMs(1).build(), 500));
    assertThat(sync.messages()).as("a synced device gets all it has not seen").isEqualTo(after);
    assertThat(sync.complete()).isTrue();
    assertThat(await(reader.conversations("t-c")).get(0).getKind()).isEqualTo(ConversationKind.CONVERSATION_KIND_GROUP);

    assertThat(await(reader.page("t-a", group, PageAnchor.latest(), 200)).messages()).hasSize(200);
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }
}
