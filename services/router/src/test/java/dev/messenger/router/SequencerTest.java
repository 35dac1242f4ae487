package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.internal.v1.SubmitRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SequencerTest {
  private static final String CONVERSATION = "dm:alice:bob";
  private static final Set<String> MEMBERS = Set.of("alice", "bob");

  private final InMemoryCommitLog log = new InMemoryCommitLog();
  private final TestRouter router = new TestRouter(log);
  private final Sequencer sequencer = router.sequencer;

  SequencerTest() throws Exception {
    router.holdingShard();
  }

  @AfterEach
  void stop() {
    router.close();
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
    assertThat(log.messages(CONVERSATION)).hasSize(500);
    assertThat(router.published).extracting(Message::getSeq).isSorted().hasSize(500);
    await().until(() -> log.projected.getOrDefault(CONVERSATION, 0L) == 500);
    assertThat(log.copies.get("bob/" + CONVERSATION).keySet()).containsExactlyElementsOf(seqs);
  }

  @Test
  void should_confirm_many_writes_with_fewer_epoch_reads() throws Exception {
    List<CompletableFuture<SendAck>> acks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String conversation = "dm:alice:user" + i;
      acks.add(sequencer.submit(request("alice", "m" + i).toBuilder().setConversationId(conversation).build(),
          Set.of("alice", "user" + i), 0));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(log.epochReads.get()).as("one epoch read confirms every write completed before it")
        .isLessThanOrEqualTo(200);
  }

  @Test
  void should_acknowledge_and_deliver_before_the_projection_is_written() throws Exception {
    log.projectionGate = new CompletableFuture<>();

    SendAck ack = sequencer.submit(request("alice", "fast"), MEMBERS, 0).get(5, TimeUnit.SECONDS);

    assertThat(ack.getSeq()).isEqualTo(1);
    assertThat(router.published).extracting(Message::getClientMessageId).containsExactly("fast");
    assertThat(log.copies).isEmpty();
    log.projectionGate.complete(null);
    await().until(() -> log.copies.containsKey("bob/" + CONVERSATION));
    await().until(() -> router.projectedNotices.contains(CONVERSATION + "#1"));
  }

  @Test
  void should_retry_a_failed_projection_without_skipping_and_keep_accepting_sends() throws Exception {
    log.failingProjections.set(3);
    for (int i = 1; i <= 5; i++) {
      assertThat(sequencer.submit(request("alice", "m" + i), MEMBERS, 0).get(5, TimeUnit.SECONDS).getSeq())
          .isEqualTo(i);
    }
    await().until(() -> log.projected.getOrDefault(CONVERSATION, 0L) == 5);
    assertThat(log.skippedProjections).isEmpty();
    assertThat(log.copies.get("alice/" + CONVERSATION).keySet()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(log.copies.get("bob/" + CONVERSATION).keySet()).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void should_not_hold_other_conversations_behind_one_whose_projection_keeps_failing() throws Exception {
    log.brokenProjections.add(CONVERSATION);
    sequencer.submit(request("alice", "stuck"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    String other = "dm:carol:dave";
    sequencer.submit(SubmitRequest.newBuilder().setSenderUserId("carol").setSenderDeviceId("p")
        .setClientMessageId("free").setConversationId(other).setBody("hi").build(), Set.of("carol", "dave"), 0)
        .get(5, TimeUnit.SECONDS);

    await().until(() -> log.projected.getOrDefault(other, 0L) == 1);
    assertThat(log.projected).doesNotContainKey(CONVERSATION);
    log.brokenProjections.clear();
    await().atMost(Duration.ofSeconds(10)).until(() -> log.projected.getOrDefault(CONVERSATION, 0L) == 1);
  }

  @Test
  void should_keep_working_when_live_delivery_throws() throws Exception {
    router.publishFailure = new IllegalStateException("Output queue is full");
    assertThat(sequencer.submit(request("alice", "a"), MEMBERS, 0).get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(1);
    assertThat(sequencer.submit(request("alice", "b"), MEMBERS, 0).get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(2);
    router.publishFailure = null;
    assertThat(sequencer.submit(request("alice", "c"), MEMBERS, 0).get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(3);
    assertThat(router.published).extracting(Message::getClientMessageId).containsExactly("c");
    await().until(() -> log.projected.getOrDefault(CONVERSATION, 0L) == 3);
    await().until(() -> sequencer.idle(0));
  }

  @Test
  void should_repeat_a_write_whose_outcome_is_unknown_with_the_same_message() throws Exception {
    sequencer.submit(request("alice", "before"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    log.failNextWriteAfterApplying = true;

    CompletableFuture<SendAck> first = sequencer.submit(request("alice", "x"), MEMBERS, 0);
    CompletableFuture<SendAck> retry = sequencer.submit(request("alice", "x"), MEMBERS, 0);

    assertThat(first.get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(2);
    assertThat(retry.get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(2);
    assertThat(retry.get().getDuplicate()).isTrue();
    assertThat(log.messages(CONVERSATION).keySet()).containsExactly(1L, 2L);
  }

  @Test
  void should_return_the_original_ack_for_a_retry() throws Exception {
    SendAck first = sequencer.submit(request("alice", "same-id"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    SendAck retry = sequencer.submit(request("alice", "same-id"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    assertThat(retry.getDuplicate()).isTrue();
    assertThat(retry.toBuilder().setDuplicate(false).build()).isEqualTo(first);
    assertThat(log.messages(CONVERSATION)).hasSize(1);
  }

  @Test
  void should_store_a_first_attempt_without_looking_its_client_id_up_and_look_a_resend_up() throws Exception {
    SendAck first = sequencer.submit(firstAttemptPublishedWhileHeld(request("alice", "fresh")), MEMBERS, 0)
        .get(5, TimeUnit.SECONDS);
    assertThat(log.clientIdLookups).hasValue(0);

    // A resend whose ack was lost: this router no longer remembers it, the table does.
    log.clientIds.put(CONVERSATION + "/alice/fresh", first);
    try (TestRouter next = new TestRouter(log).holdingShard()) {
      SendAck resent = next.sequencer.submit(request("alice", "fresh"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
      assertThat(resent.getDuplicate()).isTrue();
      assertThat(resent.getSeq()).isEqualTo(first.getSeq());
    }
    assertThat(log.clientIdLookups).hasValue(1);
    assertThat(log.messages(CONVERSATION)).hasSize(1);
  }

  @Test
  void should_look_up_a_first_attempt_published_before_this_router_took_the_shard() throws Exception {
    // Published while this router was paused and had lost the shard; its retry was stored by the owner of
    // the meantime; this router took the shard back and now reads the first attempt from its socket.
    SendAck stored = SendAck.newBuilder().setClientMessageId("late").setConversationId(CONVERSATION).setSeq(1)
        .build();
    log.clientIds.put(CONVERSATION + "/alice/late", stored);
    long publishedAt = router.fence.heldSinceMillis(0).orElseThrow() - 8_000;

    SendAck ack = sequencer.submit(request("alice", "late").toBuilder().setFirstAttempt(true)
        .setFirstAttemptSentAtMs(publishedAt).build(), MEMBERS, 0).get(5, TimeUnit.SECONDS);

    assertThat(ack.getDuplicate()).as("answered from the stored send, not stored again").isTrue();
    assertThat(ack.getSeq()).isEqualTo(1);
    assertThat(log.clientIdLookups).hasValue(1);
    assertThat(log.messages(CONVERSATION)).isEmpty();
  }

  @Test
  void should_look_up_a_first_attempt_without_a_publication_time() throws Exception {
    sequencer.submit(request("alice", "old-session").toBuilder().setFirstAttempt(true).build(), MEMBERS, 0)
        .get(5, TimeUnit.SECONDS);
    assertThat(log.clientIdLookups).as("from a session server that does not say when it published").hasValue(1);
  }

  @Test
  void should_answer_the_sends_queued_behind_a_write_when_their_shard_is_given_up() throws Exception {
    CompletableFuture<Void> writes = new CompletableFuture<>();
    log.writeGate = writes;
    CompletableFuture<SendAck> inFlight = sequencer.submit(request("alice", "a"), MEMBERS, 0);
    await().until(() -> log.writesStarted.get() == 1);
    CompletableFuture<SendAck> queued = sequencer.submit(request("alice", "b"), MEMBERS, 0);
    await().until(() -> sequencer.queuedSends() == 1);

    sequencer.forgetShard(0);

    assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS))
        .as("answered at once (its sender retries elsewhere), never left without a reply")
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    writes.complete(null);
    inFlight.handle((ack, error) -> null).get(5, TimeUnit.SECONDS);
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
  void should_answer_a_retry_from_the_unprojected_tail_a_previous_owner_left() throws Exception {
    // Committed by a previous owner, which died before projecting it (so its client id is not in the table).
    log.write(CONVERSATION, List.of(message(1, "bob", "orphan")), 1);
    try (TestRouter next = new TestRouter(log).holdingShard()) {
      SendAck retry = next.sequencer.submit(request("bob", "orphan"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
      assertThat(retry.getDuplicate()).isTrue();
      assertThat(retry.getSeq()).isEqualTo(1);
      assertThat(log.messages(CONVERSATION)).hasSize(1);
      await().until(() -> log.copies.containsKey("alice/" + CONVERSATION));
    }
  }

  @Test
  void should_project_what_a_previous_owner_left_when_the_conversation_is_recovered() throws Exception {
    log.write(CONVERSATION, List.of(message(1, "bob", "b1"), message(2, "bob", "b2")), 1);
    try (TestRouter next = new TestRouter(log).holdingShard()) {
      next.sequencer.recover(0, CONVERSATION, MEMBERS);
      await().until(() -> log.projected.getOrDefault(CONVERSATION, 0L) == 2);
      assertThat(log.copies.get("alice/" + CONVERSATION).keySet()).containsExactly(1L, 2L);
      assertThat(log.clientIds).containsKeys(CONVERSATION + "/bob/b1", CONVERSATION + "/bob/b2");
    }
  }

  @Test
  void should_not_commit_after_another_router_raised_the_epoch() throws Exception {
    sequencer.submit(request("alice", "mine"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    try (TestRouter next = new TestRouter(log).holdingShard()) {
      CompletableFuture<SendAck> late = sequencer.submit(request("alice", "late"), MEMBERS, 0);
      assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      await().until(() -> router.fencedShards.contains(0));

      // The refused write had landed before the new owner loaded the conversation: the new owner builds on
      // it, and the sender's retry is answered with it, once.
      SendAck ack = next.sequencer.submit(request("alice", "late"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
      assertThat(ack.getSeq()).isEqualTo(2);
      assertThat(ack.getDuplicate()).isTrue();
      assertThat(log.messages(CONVERSATION).keySet()).containsExactly(1L, 2L);
      assertThat(next.sequencer.submit(request("bob", "after"), MEMBERS, 0).get(5, TimeUnit.SECONDS).getSeq())
          .isEqualTo(3);
    }
  }

  @Test
  void should_not_let_a_paused_owners_late_write_replace_the_new_owners_commit() throws Exception {
    sequencer.submit(request("alice", "first"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    // The old owner's next write is held back, as if the router were paused (SIGSTOP) mid-write.
    CompletableFuture<Void> paused = new CompletableFuture<>();
    log.writeGate = paused;
    CompletableFuture<SendAck> stale = sequencer.submit(request("alice", "x"), MEMBERS, 0);
    await().until(() -> log.clientIdGate.isDone() && !stale.isDone());

    try (TestRouter next = new TestRouter(log).holdingShard()) {
      log.writeGate = CompletableFuture.completedFuture(null);
      SendAck fresh = next.sequencer.submit(request("bob", "y"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
      assertThat(fresh.getSeq()).isEqualTo(2);
      paused.complete(null); // the old owner resumes: its write of seq 2 lands late, with the old epoch

      assertThatThrownBy(() -> stale.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
      assertThat(log.messages(CONVERSATION).get(2L).getClientMessageId()).isEqualTo("y");
      // The retry reaches the new owner and is committed once, after y.
      SendAck retried = next.sequencer.submit(request("alice", "x"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
      assertThat(retried.getSeq()).isEqualTo(3);
      assertThat(log.messages(CONVERSATION).values()).extracting(Message::getClientMessageId)
          .containsExactly("first", "y", "x");
    }
  }

  @Test
  void should_never_count_a_fenced_owners_write_past_the_head_the_next_owner_loaded() throws Exception {
    sequencer.submit(request("alice", "first"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    try (TestRouter next = new TestRouter(log).holdingShard()) {
      long nextEpoch = log.epochs.get(0);
      assertThat(next.sequencer.submit(request("bob", "y"), MEMBERS, 0).get(5, TimeUnit.SECONDS).getSeq())
          .isEqualTo(2);
      // The fenced-out owner's batch (x at 2, y at 3: y was its sender's first attempt, whose retry the new
      // owner just committed) lands late with the old epoch: seq 2 keeps the newer row, seq 3 is new.
      log.write(CONVERSATION, List.of(message(2, "alice", "x"), message(3, "bob", "y")), nextEpoch - 1)
          .toCompletableFuture().get(5, TimeUnit.SECONDS);

      try (TestRouter third = new TestRouter(log).holdingShard()) {
        SendAck z = third.sequencer.submit(request("alice", "z"), MEMBERS, 0).get(5, TimeUnit.SECONDS);

        assertThat(z.getSeq()).as("the row at 3 was never committed: the seal says so").isEqualTo(3);
        assertThat(log.messages(CONVERSATION).values()).extracting(Message::getClientMessageId)
            .containsExactly("first", "y", "z");
      }
    }
  }

  @Test
  void should_not_answer_a_resend_from_a_row_it_wrote_after_it_was_fenced_out() throws Exception {
    sequencer.submit(request("alice", "first"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    await().until(() -> sequencer.idle(0) && log.projected.getOrDefault(CONVERSATION, 0L) == 1);
    await().until(() -> sequencer.evictIdle(Duration.ZERO) == 1);
    try (TestRouter next = new TestRouter(log).holdingShard()) {
      // This router, paused past its lease, resumes with a write in hand: it lands, never confirmed.
      log.write(CONVERSATION, List.of(message(2, "alice", "x")), log.epochs.get(0) - 1)
          .toCompletableFuture().get(5, TimeUnit.SECONDS);

      CompletableFuture<SendAck> resend = sequencer.submit(request("alice", "x"), MEMBERS, 0);

      assertThatThrownBy(() -> resend.get(5, TimeUnit.SECONDS))
          .as("reading its own uncommitted row back is no commit: answering it would acknowledge a message the "
              + "new owner may overwrite")
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void should_not_sequence_a_send_taken_in_while_its_shard_was_given_up_beside_the_conversations_new_state()
      throws Exception {
    CompletableFuture<Void> lookup = new CompletableFuture<>();
    log.clientIdGate = lookup;
    CompletableFuture<SendAck> resend = sequencer.submit(request("alice", "x"), MEMBERS, 0);
    await().until(() -> !resend.isDone());
    sequencer.forgetShard(0); // lost and, here at once, held again: the conversation is forgotten meanwhile
    CompletableFuture<Void> writes = new CompletableFuture<>();
    log.writeGate = writes;
    CompletableFuture<SendAck> fresh = sequencer.submit(
        firstAttemptPublishedWhileHeld(request("bob", "y")), MEMBERS, 0);
    await().until(() -> log.writesStarted.get() == 1);

    lookup.complete(null);
    await().pollDelay(Duration.ofMillis(100)).until(() -> resend.isDone() || log.writesStarted.get() == 2);
    writes.complete(null);

    assertThat(fresh.get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(1);
    assertThatThrownBy(() -> resend.get(5, TimeUnit.SECONDS))
        .as("taken in by the forgotten conversation: retried, not written at seq 1 over y")
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(log.messages(CONVERSATION).values()).extracting(Message::getClientMessageId).containsExactly("y");
  }

  @Test
  void should_refuse_work_for_a_shard_it_no_longer_owns() {
    router.owner.set(false);
    CompletableFuture<SendAck> ack = sequencer.submit(request("alice", "late"), MEMBERS, 0);
    assertThatThrownBy(() -> ack.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(log.messages(CONVERSATION)).isEmpty();
  }

  @Test
  void should_mark_a_conversation_once_an_hour_before_committing() throws Exception {
    for (int i = 0; i < 5; i++) {
      sequencer.submit(request("alice", "m" + i), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    }
    assertThat(log.markWrites).hasValue(1);
    assertThat(log.marks).singleElement().asString().startsWith("0/").endsWith("/" + CONVERSATION);
  }

  @Test
  void should_forget_idle_conversations_and_still_answer_their_retries() throws Exception {
    SendAck first = sequencer.submit(request("alice", "old"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    await().until(() -> sequencer.idle(0) && log.projected.getOrDefault(CONVERSATION, 0L) == 1);
    await().until(() -> sequencer.evictIdle(Duration.ZERO) == 1);
    SendAck retry = sequencer.submit(request("alice", "old"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    assertThat(retry.getDuplicate()).isTrue();
    assertThat(retry.getSeq()).isEqualTo(first.getSeq());
    SendAck next = sequencer.submit(request("alice", "new"), MEMBERS, 0).get(5, TimeUnit.SECONDS);
    assertThat(next.getSeq()).isEqualTo(2);
  }

  private static Message message(long seq, String sender, String clientId) {
    return Message.newBuilder().setConversationId(CONVERSATION).setSeq(seq).setSenderUserId(sender)
        .setClientMessageId(clientId).setMessageId("m-" + clientId).setBody("hi").build();
  }

  @Test
  void should_not_use_a_head_known_before_the_shard_changed_hands_when_it_comes_back() throws Exception {
    assertThat(sequencer.submit(request("alice", "before"), MEMBERS, 0).get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(1);
    try (TestRouter other = new TestRouter(log)) {
      other.holdingShard();
      assertThat(other.sequencer.submit(request("bob", "meanwhile"), MEMBERS, 0).get(5, TimeUnit.SECONDS).getSeq())
          .isEqualTo(2);
    }
    router.holdingShard(); // taken back, at a higher epoch

    assertThat(sequencer.submit(request("alice", "after"), MEMBERS, 0).get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(3);
    assertThat(log.messages(CONVERSATION).values()).extracting(Message::getClientMessageId)
        .containsExactly("before", "meanwhile", "after");
  }

  @Test
  void should_keep_a_devices_pipelined_sends_in_order_whatever_order_their_lookups_finish_in() throws Exception {
    log.clientIdGate = new CompletableFuture<>();
    List<CompletableFuture<SendAck>> acks = new ArrayList<>();
    acks.add(sequencer.submit(request("alice", "p0"), MEMBERS, 0));
    for (int i = 1; i < 20; i++) {
      acks.add(sequencer.submit(request("alice", "p" + i).toBuilder().setAfterClientMessageId("p" + (i - 1)).build(),
          MEMBERS, 0));
    }
    log.clientIdGate.complete(null);

    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(acks).extracting(f -> f.join().getSeq()).isSorted().doesNotHaveDuplicates();
    assertThat(log.messages(CONVERSATION).values()).extracting(Message::getClientMessageId)
        .containsExactlyElementsOf(LongStream.range(0, 20).mapToObj(i -> "p" + i).toList());
  }

  @Test
  void should_wait_for_an_earlier_send_that_arrives_later_as_retries_after_a_failover_do() throws Exception {
    CompletableFuture<SendAck> second = sequencer.submit(
        request("alice", "second").toBuilder().setAfterClientMessageId("first").build(), MEMBERS, 0);
    CompletableFuture<SendAck> first = sequencer.submit(request("alice", "first"), MEMBERS, 0);

    assertThat(first.get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(1);
    assertThat(second.get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(2);
  }

  @Test
  void should_refuse_a_send_whose_earlier_send_was_refused_until_that_one_is_resent() throws Exception {
    SubmitRequest first = request("alice", "first");
    SubmitRequest second = request("alice", "second").toBuilder().setAfterClientMessageId("first").build();
    sequencer.refused(first, 0);

    assertThatThrownBy(() -> sequencer.submit(second, MEMBERS, 0).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
          assertThat(e.getStatus().getDescription()).contains("first");
        });
    assertThat(log.messages(CONVERSATION)).isEmpty();

    assertThat(sequencer.submit(first, MEMBERS, 0).get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(1);
    assertThat(sequencer.submit(second, MEMBERS, 0).get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(2);
  }

  @Test
  void should_stop_waiting_for_an_earlier_send_as_soon_as_it_arrives_and_is_refused() throws Exception {
    SubmitRequest first = request("alice", "first");
    CompletableFuture<SendAck> second = sequencer.submit(
        request("alice", "second").toBuilder().setAfterClientMessageId("first").build(), MEMBERS, 0);
    assertThat(second).as("waits for the earlier send to arrive").isNotDone();

    sequencer.refused(first, 0); // it arrives, but admission refuses it

    assertThatThrownBy(() -> second.get(2, TimeUnit.SECONDS))
        .as("refused well before WAIT_FOR_EARLIER (%s)", Sequencer.WAIT_FOR_EARLIER)
        .cause().isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
    assertThat(log.messages(CONVERSATION)).isEmpty();
  }

  @Test
  void should_refuse_a_send_whose_earlier_send_this_router_never_saw_and_accept_one_behind_a_stored_send()
      throws Exception {
    SubmitRequest lost = request("alice", "late").toBuilder().setAfterClientMessageId("never-arrived").build();
    assertThatThrownBy(() -> sequencer.submit(lost, MEMBERS, 0).get(Sequencer.WAIT_FOR_EARLIER.toSeconds() + 5,
        TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));

    log.clientIds.put(InMemoryCommitLog.key(CONVERSATION, "alice", "stored-long-ago"),
        SendAck.newBuilder().setClientMessageId("stored-long-ago").setSeq(7).build());
    SubmitRequest behindStored = request("alice", "next").toBuilder()
        .setAfterClientMessageId("stored-long-ago").build();
    assertThat(sequencer.submit(behindStored, MEMBERS, 0).get(5, TimeUnit.SECONDS).getClientMessageId())
        .isEqualTo("next");
  }

  @Test
  void should_refuse_the_sends_queued_behind_a_batch_that_failed_and_the_ones_that_name_them() throws Exception {
    router.owner.set(false);
    log.failNextWriteAfterApplying = true;
    CompletableFuture<SendAck> first = sequencer.submit(request("alice", "f1"), MEMBERS, 0);
    assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    router.owner.set(true);

    SubmitRequest behind = request("alice", "f2").toBuilder().setAfterClientMessageId("f1").build();
    assertThatThrownBy(() -> sequencer.submit(behind, MEMBERS, 0).get(5, TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
  }

  @Test
  void should_count_the_sends_waiting_behind_a_batch_in_flight() throws Exception {
    log.writeGate = new CompletableFuture<>();
    CompletableFuture<SendAck> first = sequencer.submit(request("alice", "first"), MEMBERS, 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> log.writesStarted.get() == 1);
    List<CompletableFuture<SendAck>> behind = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      behind.add(sequencer.submit(request("bob", "behind-" + i), MEMBERS, 0));
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> sequencer.queuedSends() == 3);

    log.writeGate.complete(null);
    first.get(5, TimeUnit.SECONDS);
    for (CompletableFuture<SendAck> ack : behind) {
      ack.get(5, TimeUnit.SECONDS);
    }
    assertThat(sequencer.queuedSends()).isZero();
  }

  @Test
  void should_tell_a_send_it_can_join_a_batch_in_progress_only_while_one_is_and_its_next_has_room()
      throws Exception {
    assertThat(sequencer.batchInProgress(CONVERSATION)).as("never seen").isFalse();
    log.writeGate = new CompletableFuture<>();
    CompletableFuture<SendAck> first = sequencer.submit(request("alice", "first"), MEMBERS, 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> log.writesStarted.get() == 1);

    assertThat(sequencer.batchInProgress(CONVERSATION)).isTrue();
    assertThat(sequencer.batchInProgress("dm:carol:dave")).as("another conversation").isFalse();
    List<CompletableFuture<SendAck>> behind = new ArrayList<>();
    for (int i = 0; i < Sequencer.MAX_BATCH; i++) {
      behind.add(sequencer.submit(request("bob", "behind-" + i), MEMBERS, 0));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> sequencer.queuedSends() == Sequencer.MAX_BATCH);
    assertThat(sequencer.batchInProgress(CONVERSATION)).as("its next batch is full").isFalse();

    log.writeGate.complete(null);
    first.get(5, TimeUnit.SECONDS);
    for (CompletableFuture<SendAck> ack : behind) {
      ack.get(5, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !sequencer.batchInProgress(CONVERSATION));
  }

  private static SubmitRequest request(String sender, String clientId) {
    return SubmitRequest.newBuilder().setSenderUserId(sender).setSenderDeviceId("phone")
        .setClientMessageId(clientId).setConversationId(CONVERSATION).setBody("hi " + clientId).build();
  }

  /** The request as a session server's first attempt, published well after this router took shard 0. */
  private SubmitRequest firstAttemptPublishedWhileHeld(SubmitRequest request) {
    return request.toBuilder().setFirstAttempt(true).setFirstAttemptSentAtMs(
        router.fence.heldSinceMillis(0).orElseThrow() + Sequencer.CLOCK_ALLOWANCE.toMillis() + 1).build();
  }
}
