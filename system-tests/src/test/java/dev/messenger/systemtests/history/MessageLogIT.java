package dev.messenger.systemtests.history;

import static dev.messenger.systemtests.history.HistoryFixture.await;
import static dev.messenger.systemtests.history.HistoryFixture.text;
import static dev.messenger.systemtests.history.HistoryFixture.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.Message;
import dev.messenger.history.store.ConversationInfo;
import dev.messenger.router.log.MessageLog;
import dev.messenger.router.log.StoredSend;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The router's write path against a real CQL store: head, epoch-fenced log writes, client ids, projection marks. */
@WithRealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MessageLogIT {
  private HistoryFixture fixture;
  private MessageLog log;

  @BeforeAll
  void createStore(InfrastructureEndpoints endpoints) {
    fixture = HistoryFixture.create(endpoints);
    log = fixture.log;
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
      await(log.commit(conversation, part, 1));
    }

    // Bucket 1 is exactly full: the walk must look into bucket 2, find it empty and stop at 2047.
    assertThat(await(log.loadHead(conversation))).isEqualTo(2047);

    await(log.commit(conversation, texts(conversation, 2048, 2050, "head-a"), 1));
    assertThat(await(log.loadHead(conversation))).isEqualTo(2050);

    // With a hint (set by the projection) the walk starts further on and finds the same head.
    await(log.project(List.of("head-a", "head-b"), messages.subList(1498, 1500)));
    assertThat(await(log.conversation(conversation))).map(ConversationInfo::lastSeq).contains(1500L);
    assertThat(await(log.loadHead(conversation))).isEqualTo(2050);
  }

  @Test
  void should_raise_a_shards_epoch_once_per_claim() {
    assertThat(await(log.shardEpoch(41))).isZero();
    assertThat(await(log.claimShard(41, "router-a"))).isEqualTo(1);
    assertThat(await(log.claimShard(41, "router-b"))).isEqualTo(2);
    assertThat(await(log.shardEpoch(41))).isEqualTo(2);
    List<CompletableFuture<Long>> racing = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      racing.add(log.claimShard(42, "racer-" + i).toCompletableFuture());
    }
    assertThat(racing.stream().map(HistoryFixture::await).sorted().toList()).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void should_keep_the_higher_epochs_row_whatever_order_the_writes_land_in() {
    String conversation = "dm:epoch-a:epoch-b";
    Message stale = text(conversation, 1, "epoch-a", "from the deposed owner");
    Message fresh = text(conversation, 1, "epoch-b", "from the new owner");
    await(log.commit(conversation, List.of(fresh), 2));
    await(log.commit(conversation, List.of(stale), 1)); // lands late
    assertThat(await(log.readLog(conversation, 0, 10))).containsExactly(fresh);

    String other = "dm:epoch-a:epoch-c";
    await(log.commit(other, List.of(stale.toBuilder().setConversationId(other).build()), 1));
    await(log.commit(other, List.of(fresh.toBuilder().setConversationId(other).build()), 2));
    assertThat(await(log.readLog(other, 0, 10))).extracting(Message::getBody).containsExactly("from the new owner");
    assertThat(await(log.loadHead(other))).isEqualTo(1);
  }

  @Test
  void should_skip_rows_a_fenced_owner_wrote_past_the_sealed_head_across_buckets() {
    String conversation = "dm:seal-a:seal-b";
    await(log.commit(conversation, texts(conversation, 1, 1022, "seal-a", "seal-b"), 2));
    await(log.seal(conversation, 3, 1022));
    await(log.commit(conversation, texts(conversation, 1023, 1023, "seal-b"), 3));
    // The deposed owner's batch lands late, with its older epoch: seq 1023 (the last of bucket 0) keeps the
    // newer row; 1024 and 1025, in bucket 1, were never committed.
    await(log.commit(conversation, texts(conversation, 1023, 1025, "seal-a"), 2));

    assertThat(await(log.loadHead(conversation))).isEqualTo(1023);

    // Rows of the sealing owner's epoch, or newer, past the sealed head count: they are its commits.
    await(log.commit(conversation, texts(conversation, 1024, 1026, "seal-b"), 3));
    assertThat(await(log.loadHead(conversation))).isEqualTo(1026);
    // A later owner's seal with an older epoch (a fenced router loading) changes nothing.
    await(log.seal(conversation, 2, 5));
    assertThat(await(log.loadHead(conversation))).isEqualTo(1026);
  }

  @Test
  void should_read_the_log_in_order_across_buckets() {
    String conversation = "dm:read-a:read-b";
    List<Message> messages = texts(conversation, 1, 1100, "read-a", "read-b");
    for (int i = 0; i < messages.size(); i += 200) {
      await(log.commit(conversation, messages.subList(i, Math.min(messages.size(), i + 200)), 1));
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
    await(log.commit(conversation, List.of(first, serverNote), 1));

    await(log.project(List.of("cid-a", "cid-b"), List.of(first, serverNote)));
    await(log.project(List.of("cid-a", "cid-b"), List.of(first)));

    assertThat(await(log.findClientId(conversation, "cid-a", first.getClientMessageId())))
        .contains(new StoredSend(conversation, "cid-a", first.getClientMessageId(), 1, first.getMessageId(),
            first.getServerTimeMs()));
    assertThat(await(log.findClientId(conversation, "cid-b", first.getClientMessageId()))).isEmpty();
    assertThat(await(log.findClientId(conversation, "cid-a", "unknown"))).isEmpty();
  }

  @Test
  void should_list_projection_marks_per_shard_and_hour() {
    await(log.markForProjection(3, 500_000, "dm:fl-a:fl-b"));
    await(log.markForProjection(3, 500_000, "dm:fl-a:fl-c"));
    await(log.markForProjection(3, 500_000, "dm:fl-a:fl-c"));
    await(log.markForProjection(3, 500_001, "dm:fl-a:fl-d"));
    await(log.markForProjection(4, 500_000, "dm:fl-x:fl-y"));

    assertThat(await(log.markedForProjection(3, 500_000))).containsExactlyInAnyOrder("dm:fl-a:fl-b", "dm:fl-a:fl-c");
    assertThat(await(log.markedForProjection(3, 500_001))).containsExactly("dm:fl-a:fl-d");
    assertThat(await(log.markedForProjection(3, 499_999))).isEmpty();
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
    assertThat(info.projectedSeq()).isZero();
    assertThatThrownBy(() -> log.ensureDirectConversation("dm:meta-a:meta-c", "meta-a", "meta-b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

}
