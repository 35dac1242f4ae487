package dev.messenger.systemtests.history;

import static dev.messenger.systemtests.history.HistoryFixture.await;
import static dev.messenger.systemtests.history.HistoryFixture.text;
import static dev.messenger.systemtests.history.HistoryFixture.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.Message;
import dev.messenger.history.store.ConversationInfo;
import dev.messenger.history.store.Inflight;
import dev.messenger.history.store.MessageLog;
import dev.messenger.history.store.StoredSend;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The router's write path against a real CQL store: head, fenced commits, the log, client ids, in-flight marks. */
@WithRealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MessageLogIT {
  private HistoryFixture fixture;
  private MessageLog log;

  @BeforeAll
  void createStore(InfrastructureEndpoints endpoints) {
    fixture = HistoryFixture.create(endpoints);
    log = fixture.store.log();
  }

  @AfterAll
  void dropStore() {
    fixture.close();
  }

  @Test
  void should_report_head_zero_for_a_new_conversation() {
    assertThat(await(log.loadHead("dm:nobody:noone"))).isZero();
  }

  @Test
  void should_load_the_head_across_bucket_boundaries() {
    String conversation = "dm:head-a:head-b";
    List<Message> messages = texts(conversation, 1, 2047, "head-a", "head-b");
    // Batches of 89 cross the bucket boundary at 1024 in the middle of a commit.
    for (int i = 0; i < messages.size(); i += 89) {
      List<Message> part = messages.subList(i, Math.min(messages.size(), i + 89));
      assertThat(await(log.commit(conversation, part))).isTrue();
    }

    // Bucket 1 is exactly full: the walk must look into bucket 2, find it empty and stop at 2047.
    assertThat(await(log.loadHead(conversation))).isEqualTo(2047);

    assertThat(await(log.commit(conversation, texts(conversation, 2048, 2050, "head-a")))).isTrue();
    assertThat(await(log.loadHead(conversation))).isEqualTo(2050);

    // With a hint (set by fan-out) the walk starts further on and finds the same head.
    await(log.fanOut(List.of("head-a", "head-b"), messages.subList(1498, 1500)));
    assertThat(await(log.conversation(conversation))).map(ConversationInfo::lastSeq).contains(1500L);
    assertThat(await(log.loadHead(conversation))).isEqualTo(2050);
  }

  @Test
  void should_let_exactly_one_of_two_racing_writers_take_each_seq() {
    String conversation = "dm:race-a:race-b";
    long head = 0;
    for (int round = 0; round < 20; round++) {
      List<Message> first = texts(conversation, head + 1, head + 3, "race-a");
      List<Message> second = texts(conversation, head + 1, head + 2, "race-b");

      CompletableFuture<Boolean> a = log.commit(conversation, first).toCompletableFuture();
      CompletableFuture<Boolean> b = log.commit(conversation, second).toCompletableFuture();

      boolean aWon = await(a);
      boolean bWon = await(b);
      assertThat(aWon).as("round %d: exactly one writer wins", round).isNotEqualTo(bWon);
      List<Message> winner = aWon ? first : second;
      head = await(log.loadHead(conversation));
      assertThat(head).isEqualTo(winner.get(winner.size() - 1).getSeq());
      assertThat(await(log.readLog(conversation, head - winner.size(), 10))).isEqualTo(winner);
    }

    List<Message> all = await(log.readLog(conversation, 0, 1000));
    assertThat(all).extracting(Message::getSeq).containsExactlyElementsOf(seqs(1, head));
  }

  @Test
  void should_refuse_a_stale_writer_without_leaving_a_gap() {
    String conversation = "dm:stale-a:stale-b";
    assertThat(await(log.commit(conversation, texts(conversation, 1, 6, "stale-a")))).isTrue();

    // A deposed owner still believes the head is 4 and commits 5..7: seqs 5 and 6 are taken.
    List<Message> stale = texts(conversation, 5, 7, "stale-b");
    assertThat(await(log.commit(conversation, stale))).isFalse();

    assertThat(await(log.loadHead(conversation))).isEqualTo(6);
    assertThat(await(log.readLog(conversation, 0, 100)))
        .extracting(Message::getSenderUserId)
        .containsOnly("stale-a")
        .hasSize(6);
    assertThat(conflictsCounted()).isPositive();
  }

  @Test
  void should_read_the_log_in_order_across_buckets() {
    String conversation = "dm:read-a:read-b";
    List<Message> messages = texts(conversation, 1, 1100, "read-a", "read-b");
    for (int i = 0; i < messages.size(); i += 200) {
      assertThat(await(log.commit(conversation, messages.subList(i, Math.min(messages.size(), i + 200))))).isTrue();
    }

    assertThat(await(log.readLog(conversation, 1000, 50))).isEqualTo(messages.subList(1000, 1050));
    assertThat(await(log.readLog(conversation, 1010, 50))).isEqualTo(messages.subList(1010, 1060));
    assertThat(await(log.readLog(conversation, 1090, 50))).isEqualTo(messages.subList(1090, 1100));
    assertThat(await(log.readLog(conversation, 0, 2000))).isEqualTo(messages);
    assertThat(await(log.readLog(conversation, 1100, 10))).isEmpty();
  }

  @Test
  void should_find_recorded_client_message_ids() {
    String conversation = "dm:cid-a:cid-b";
    Message first = text(conversation, 1, "cid-a", "hi");
    Message serverNote = text(conversation, 2, "cid-a", "note").toBuilder().clearClientMessageId().build();
    assertThat(await(log.commit(conversation, List.of(first, serverNote)))).isTrue();

    await(log.recordClientIds(conversation, List.of(first, serverNote)));
    await(log.recordClientIds(conversation, List.of(first)));

    assertThat(await(log.findClientId(conversation, "cid-a", first.getClientMessageId())))
        .contains(new StoredSend(conversation, "cid-a", first.getClientMessageId(), 1, first.getMessageId(),
            first.getServerTimeMs()));
    assertThat(await(log.findClientId(conversation, "cid-b", first.getClientMessageId()))).isEmpty();
    assertThat(await(log.findClientId(conversation, "cid-a", "unknown"))).isEmpty();
  }

  @Test
  void should_fence_in_flight_marks_by_seq() {
    await(log.markInflight(3, "dm:fl-a:fl-b", 10));
    await(log.markInflight(3, "dm:fl-a:fl-c", 1));
    await(log.markInflight(4, "dm:fl-x:fl-y", 1));

    assertThat(await(log.listInflight(3)))
        .extracting(Inflight::conversationId, Inflight::fromSeq)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("dm:fl-a:fl-b", 10L),
            org.assertj.core.groups.Tuple.tuple("dm:fl-a:fl-c", 1L));

    await(log.clearInflight(3, "dm:fl-a:fl-b", 12));
    assertThat(await(log.listInflight(3))).extracting(Inflight::conversationId).containsExactly("dm:fl-a:fl-c");

    // A new owner marks from seq 13; the old owner's late clear (up to 12) must not remove that mark.
    await(log.markInflight(3, "dm:fl-a:fl-b", 13));
    await(log.clearInflight(3, "dm:fl-a:fl-b", 12));
    assertThat(await(log.listInflight(3))).extracting(Inflight::conversationId)
        .containsExactlyInAnyOrder("dm:fl-a:fl-b", "dm:fl-a:fl-c");
  }

  @Test
  void should_record_direct_conversations_idempotently() {
    assertThat(await(log.members("dm:meta-a:meta-b"))).isEmpty();

    await(log.ensureDirectConversation("dm:meta-a:meta-b", "meta-b", "meta-a"));
    await(log.ensureDirectConversation("dm:meta-a:meta-b", "meta-a", "meta-b"));

    assertThat(await(log.members("dm:meta-a:meta-b"))).contains(Set.of("meta-a", "meta-b"));
    ConversationInfo info = await(log.conversation("dm:meta-a:meta-b")).orElseThrow();
    assertThat(info.kind()).isEqualTo(ConversationKind.CONVERSATION_KIND_DIRECT);
    assertThat(info.createdMs()).isPositive();
    assertThat(info.fannedOutSeq()).isZero();
    assertThatThrownBy(() -> log.ensureDirectConversation("dm:meta-a:meta-c", "meta-a", "meta-b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private double conflictsCounted() {
    return fixture.registry.scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals("messenger_history_commit_conflicts"))
        .flatMap(s -> s.getDataPoints().stream())
        .mapToDouble(p -> ((CounterSnapshot.CounterDataPointSnapshot) p).getValue())
        .sum();
  }

  private static List<Long> seqs(long from, long to) {
    return new ArrayList<>(LongStream.rangeClosed(from, to).boxed().toList());
  }
}
