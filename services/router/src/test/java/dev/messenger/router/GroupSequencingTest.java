package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.AddMembersRequest;
import dev.messenger.api.v1.CreateGroupRequest;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessageKind;
import dev.messenger.api.v1.RemoveMembersRequest;
import dev.messenger.api.v1.SendAck;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.internal.v1.GroupCommand;
import dev.messenger.internal.v1.SubmitRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Membership changes sequenced with the sends of a group, on the in-memory commit log. */
@Timeout(30)
class GroupSequencingTest {
  private static final String GROUP = "g:team";

  private final InMemoryCommitLog log = new InMemoryCommitLog();
  private final TestRouter router = new TestRouter(log);

  GroupSequencingTest() throws Exception {
    router.holdingShard();
  }

  @AfterEach
  void stop() {
    router.close();
  }

  private static SubmitRequest send(String sender, String clientId) {
    return SubmitRequest.newBuilder().setSenderUserId(sender).setSenderDeviceId("d").setClientMessageId(clientId)
        .setConversationId(GROUP).setBody("hello " + clientId).build();
  }

  private static SubmitRequest command(String sender, String clientId, GroupCommand command) {
    return SubmitRequest.newBuilder().setSenderUserId(sender).setSenderDeviceId("d").setClientMessageId(clientId)
        .setConversationId(GROUP).setGroupCommand(command).build();
  }

  private static SubmitRequest create(String owner, String... others) {
    return command(owner, "create", GroupCommand.newBuilder().setCreate(CreateGroupRequest.newBuilder()
        .setClientRequestId("create").setTitle("team").addAllMemberUserIds(List.of(others))).build());
  }

  private static SubmitRequest remove(String actor, String clientId, String user) {
    return command(actor, clientId, GroupCommand.newBuilder()
        .setRemove(RemoveMembersRequest.newBuilder().addUserIds(user)).build());
  }

  private static SubmitRequest add(String actor, String clientId, String user) {
    return command(actor, clientId, GroupCommand.newBuilder()
        .setAdd(AddMembersRequest.newBuilder().addUserIds(user)).build());
  }

  private SendAck submit(Sequencer sequencer, SubmitRequest request) throws Exception {
    return sequencer.submit(request, Set.of(), 0).get(5, TimeUnit.SECONDS);
  }

  @Test
  void should_refuse_everything_but_creation_for_a_group_that_does_not_exist() {
    CompletableFuture<SendAck> refused = router.sequencer.submit(send("alice", "m"), Set.of(), 0);
    await().until(refused::isDone);
    assertThat(refused).isCompletedExceptionally();
    assertThat(ApiErrors.reasonOf(refused.handle((a, e) -> e).join())).isEqualTo("NOT_A_MEMBER");
    assertThat(log.messages(GROUP)).isEmpty();
  }

  @Test
  void should_order_a_removal_against_racing_sends_so_that_each_is_delivered_or_refused_whole() throws Exception {
    submit(router.sequencer, create("alice", "bob", "carol"));
    List<CompletableFuture<SendAck>> bobSends = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      bobSends.add(router.sequencer.submit(send("bob", "b" + i), Set.of(), 0));
      if (i == 50) {
        bobSends.add(router.sequencer.submit(remove("alice", "kick", "bob"), Set.of(), 0));
      }
    }
    CompletableFuture.allOf(bobSends.stream().map(f -> f.handle((a, e) -> null)).toArray(CompletableFuture[]::new))
        .get(10, TimeUnit.SECONDS);

    Message removal = log.messages(GROUP).values().stream()
        .filter(m -> m.getKind() == MessageKind.MESSAGE_KIND_SYSTEM && m.getGroupChange().getRemovedUserIdsCount() > 0)
        .findFirst().orElseThrow();
    long removedAt = removal.getSeq();
    for (CompletableFuture<SendAck> sent : bobSends) {
      SendAck ack = sent.handle((a, e) -> a).join();
      if (ack == null) {
        assertThat(ApiErrors.reasonOf(sent.handle((a, e) -> e).join())).isEqualTo("NOT_A_MEMBER");
      } else {
        assertThat(ack.getSeq()).isLessThanOrEqualTo(removedAt);
      }
    }
    long head = log.messages(GROUP).lastKey();
    assertThat(log.messages(GROUP).keySet()).containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());
    assertThat(router.publishedTo.get("bob")).extracting(Message::getSeq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, removedAt).boxed().toList());
    assertThat(router.publishedTo.get("carol")).extracting(Message::getSeq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());
    await().until(() -> log.projected.getOrDefault(GROUP, 0L) == head);
    assertThat(log.copies.get("bob/" + GROUP).lastKey()).isEqualTo(removedAt);
    assertThat(log.copies.get("carol/" + GROUP)).hasSize((int) head);
  }

  @Test
  void should_deliver_to_an_added_member_from_the_entry_that_added_them() throws Exception {
    submit(router.sequencer, create("alice", "bob"));
    submit(router.sequencer, send("bob", "before"));
    long addedAt = submit(router.sequencer, add("alice", "add-dave", "dave")).getSeq();
    long after = submit(router.sequencer, send("dave", "hi")).getSeq();

    assertThat(router.publishedTo.get("dave")).extracting(Message::getSeq).containsExactly(addedAt, after);
    await().until(() -> log.projected.getOrDefault(GROUP, 0L) == after);
    assertThat(log.copies.get("dave/" + GROUP).keySet()).containsExactly(addedAt, after);
    assertThat(router.sequencer.group(GROUP).join().orElseThrow().getMembersList())
        .anySatisfy(m -> assertThat(m.getUserId()).isEqualTo("dave"));
  }

  @Test
  void should_rebuild_the_members_at_the_head_from_the_projection_and_the_log_tail_after_a_takeover()
      throws Exception {
    submit(router.sequencer, create("alice", "bob", "carol"));
    await().until(() -> log.projected.getOrDefault(GROUP, 0L) == 1);
    log.projectionGate = new CompletableFuture<>();
    submit(router.sequencer, remove("alice", "kick", "bob"));
    submit(router.sequencer, add("alice", "add-dave", "dave"));
    router.owner.set(false);

    try (TestRouter next = new TestRouter(log).holdingShard()) {
      CompletableFuture<SendAck> fromBob = next.sequencer.submit(send("bob", "late"), Set.of(), 0);
      SendAck fromDave = submit(next.sequencer, send("dave", "new"));
      await().until(fromBob::isDone);
      assertThat(ApiErrors.reasonOf(fromBob.handle((a, e) -> e).join())).isEqualTo("NOT_A_MEMBER");
      assertThat(fromDave.getSeq()).isEqualTo(4);
      assertThat(next.publishedTo.get("dave")).extracting(Message::getSeq).containsExactly(4L);
      assertThat(next.publishedTo).doesNotContainKey("bob");

      log.projectionGate.complete(null);
      await().until(() -> log.projected.getOrDefault(GROUP, 0L) == 4);
      assertThat(log.copies.get("bob/" + GROUP).keySet()).containsExactly(1L, 2L);
      assertThat(log.copies.get("dave/" + GROUP).keySet()).containsExactly(3L, 4L);
      assertThat(log.copies.get("carol/" + GROUP).keySet()).containsExactly(1L, 2L, 3L, 4L);
    }
  }

  @Test
  void should_answer_a_retried_creation_from_the_first_one() throws Exception {
    SendAck first = submit(router.sequencer, create("alice", "bob"));
    SendAck retry = submit(router.sequencer, create("alice", "bob"));
    assertThat(retry.getDuplicate()).isTrue();
    assertThat(retry.getSeq()).isEqualTo(first.getSeq());
    assertThat(log.messages(GROUP)).hasSize(1);
  }
}
