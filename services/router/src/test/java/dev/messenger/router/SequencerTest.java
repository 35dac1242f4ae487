package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.internal.v1.SubmitRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SequencerTest {
  private static final String CONVERSATION = "dm:alice:bob";
  private static final Set<String> MEMBERS = Set.of("alice", "bob");

  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final InMemoryCommitLog log = new InMemoryCommitLog();
  private final List<Message> published = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean owner = new AtomicBoolean(true);
  private final Sequencer sequencer = new Sequencer(log, (members, messages) -> published.addAll(messages),
      new MessageIds(Clock.systemUTC()), Clock.systemUTC(), executor, shard -> owner.get(), 64,
      new RouterMetrics(new PrometheusRegistry(), () -> 1));

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void should_give_concurrent_sends_gap_free_sequence_numbers() throws Exception {
    List<CompletableFuture<SendAck>> acks = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      acks.add(sequencer.submit(request(i % 2 == 0 ? "alice" : "bob", "c" + i), MEMBERS, 0));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    List<Long> seqs = acks.stream().map(f -> f.join().getSeq()).sorted().toList();
    assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 500).boxed().toList());
    assertThat(log.logs.get(CONVERSATION)).hasSize(500);
    assertThat(published).extracting(Message::getSeq).isSorted().hasSize(500);
  }

  @Test
  void should_keep_a_busy_conversation_marked_in_flight_until_it_is_evicted() throws Exception {
    for (int i = 0; i < 5; i++) {
      sequencer.submit(request("alice", "m" + i), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    }
    assertThat(log.marks).as("one mark for the whole busy period").hasValue(1);
    assertThat(log.inflight).containsExactly("0/" + CONVERSATION);

    org.awaitility.Awaitility.await().until(() -> sequencer.idle(0));
    sequencer.evictIdle(java.time.Duration.ZERO);

    assertThat(log.inflight).isEmpty();
    sequencer.submit(request("alice", "after"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    assertThat(log.marks).hasValue(2);
    assertThat(log.inflight).containsExactly("0/" + CONVERSATION);
  }

  @Test
  void should_load_the_head_and_mark_a_new_conversation_while_the_client_id_is_looked_up() throws Exception {
    log.clientIdGate = new CompletableFuture<>();

    CompletableFuture<SendAck> ack = sequencer.submit(request("alice", "first"), MEMBERS, 0);

    org.awaitility.Awaitility.await().until(() -> log.marks.get() == 1);
    assertThat(log.headLoads).hasValue(1);
    assertThat(ack).isNotDone();
    log.clientIdGate.complete(null);
    assertThat(ack.get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(1);
    assertThat(log.headLoads).as("the prefetched head is used").hasValue(1);
    assertThat(log.marks).hasValue(1);
  }

  @Test
  void should_not_commit_twice_a_retry_queued_while_an_unknown_commit_outcome_is_repaired() throws Exception {
    sequencer.submit(request("alice", "before"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    log.failNextCommitAfterApplying = true;
    log.recordGate = new CompletableFuture<>();

    CompletableFuture<SendAck> first = sequencer.submit(request("alice", "x"), MEMBERS, 0);
    assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    // The sender retries while the repair has not recorded the committed client id yet: the lookup misses.
    CompletableFuture<SendAck> retry = sequencer.submit(request("alice", "x"), MEMBERS, 0);
    log.recordGate.complete(null);

    SendAck ack = retry.get(5, TimeUnit.SECONDS);
    assertThat(ack.getDuplicate()).isTrue();
    assertThat(ack.getSeq()).isEqualTo(2);
    assertThat(log.logs.get(CONVERSATION).keySet()).containsExactly(1L, 2L);
  }

  @Test
  void should_clear_the_marks_of_a_shard_it_hands_over() throws Exception {
    sequencer.submit(request("alice", "m"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    org.awaitility.Awaitility.await().until(() -> sequencer.idle(0));

    sequencer.clearMarks(0).get(5, TimeUnit.SECONDS);

    assertThat(log.inflight).isEmpty();
  }

  @Test
  void should_return_the_original_ack_for_a_retry() throws Exception {
    SendAck first = sequencer.submit(request("alice", "same-id"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    SendAck retry = sequencer.submit(request("alice", "same-id"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    assertThat(retry.getDuplicate()).isTrue();
    assertThat(retry.toBuilder().setDuplicate(false).build()).isEqualTo(first);
    assertThat(log.logs.get(CONVERSATION)).hasSize(1);
  }

  @Test
  void should_find_a_retry_stored_by_another_router() throws Exception {
    SendAck stored = SendAck.newBuilder().setClientMessageId("x").setConversationId(CONVERSATION).setSeq(7).build();
    log.clientIds.put(CONVERSATION + "/alice/x", stored);
    SendAck ack = sequencer.submit(request("alice", "x"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    assertThat(ack.getSeq()).isEqualTo(7);
    assertThat(ack.getDuplicate()).isTrue();
  }

  @Test
  void should_continue_after_the_seq_it_expected_was_taken_by_another_router() throws Exception {
    sequencer.submit(request("alice", "a1"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    // Another router commits seq 2 behind this one's back.
    log.commit(CONVERSATION, List.of(Message.newBuilder().setConversationId(CONVERSATION).setSeq(2)
        .setSenderUserId("bob").setClientMessageId("b1").build()));
    SendAck ack = sequencer.submit(request("alice", "a2"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    assertThat(ack.getSeq()).isEqualTo(3);
    assertThat(log.logs.get(CONVERSATION).keySet()).containsExactly(1L, 2L, 3L);
    assertThat(log.logs.get(CONVERSATION).get(2L).getClientMessageId()).isEqualTo("b1");
  }

  @Test
  void should_refuse_work_for_a_shard_it_no_longer_owns() {
    owner.set(false);
    CompletableFuture<SendAck> ack = sequencer.submit(request("alice", "late"), MEMBERS, 0);
    assertThatThrownBy(() -> ack.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(log.logs.getOrDefault(CONVERSATION, new java.util.TreeMap<>())).isEmpty();
  }

  @Test
  void should_repair_messages_committed_but_not_fanned_out() throws Exception {
    log.commit(CONVERSATION, List.of(
        Message.newBuilder().setConversationId(CONVERSATION).setSeq(1).setSenderUserId("bob")
            .setClientMessageId("orphan").build()));
    sequencer.repair(CONVERSATION, MEMBERS).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(log.copies.get("alice/" + CONVERSATION)).containsKey(1L);
    assertThat(log.clientIds).containsKey(CONVERSATION + "/bob/orphan");
    assertThat(published).extracting(Message::getSeq).containsExactly(1L);
  }

  @Test
  void should_forget_idle_conversations_and_still_answer_their_retries() throws Exception {
    SendAck first = sequencer.submit(request("alice", "old"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    org.awaitility.Awaitility.await().until(() -> sequencer.idle(0));
    assertThat(sequencer.evictIdle(java.time.Duration.ZERO)).isEqualTo(1);
    SendAck retry = sequencer.submit(request("alice", "old"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    assertThat(retry.getDuplicate()).isTrue();
    assertThat(retry.getSeq()).isEqualTo(first.getSeq());
    SendAck next = sequencer.submit(request("alice", "new"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    assertThat(next.getSeq()).isEqualTo(2);
  }

  private static SubmitRequest request(String sender, String clientId) {
    return SubmitRequest.newBuilder().setSenderUserId(sender).setSenderDeviceId("phone")
        .setClientMessageId(clientId).setConversationId(CONVERSATION).setBody("hi " + clientId).build();
  }
}
