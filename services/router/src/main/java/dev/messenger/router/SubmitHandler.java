package dev.messenger.router;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.StreamError;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.errors.InternalErrors;
import dev.messenger.internal.v1.SubmitReply;
import dev.messenger.internal.v1.SubmitRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers SubmitRequests arriving on the submit subjects of owned shards: checks that the sender belongs to
 * the conversation, then hands the message to the sequencer and replies with its SendAck or an error.
 * Session servers validated the content already; the router checks what only it can know.
 */
final class SubmitHandler {
  private static final Logger log = LoggerFactory.getLogger(SubmitHandler.class);

  private final Connection nats;
  private final CommitLog commitLog;
  private final KnownConversations known = new KnownConversations(100_000);
  private final Sequencer sequencer;
  private final RouterMetrics metrics;
  private final Admission admission;

  SubmitHandler(Connection nats, CommitLog commitLog, Sequencer sequencer, RouterMetrics metrics,
      Admission admission) {
    this.nats = nats;
    this.commitLog = commitLog;
    this.sequencer = sequencer;
    this.metrics = metrics;
    this.admission = admission;
  }

  void handle(int shard, Message natsMessage) {
    long arrived = System.nanoTime();
    SubmitRequest request;
    try {
      request = SubmitRequest.parseFrom(natsMessage.getData());
    } catch (InvalidProtocolBufferException e) {
      reply(natsMessage, error(ApiErrors.invalidArgument("MALFORMED_SUBMIT", "malformed submit request"), ""));
      return;
    }
    // A send to a conversation with a batch in progress joins its next log write: it costs the store
    // nothing of its own, and refusing it would only refuse the sends behind it in its device's order.
    Optional<Admission.Ticket> admitted = sequencer.batchInProgress(request.getConversationId())
        ? Optional.of(Admission.Ticket.alongside()) : admission.admit();
    if (admitted.isEmpty()) {
      metrics.submission("overloaded");
      sequencer.refused(request, shard);
      reply(natsMessage, error(admission.overloaded(), request.getClientMessageId()));
      return;
    }
    Admission.Ticket ticket = admitted.get();
    sequence(request, shard)
        .thenCompose(ack -> withGroup(request, ack))
        .whenComplete((answer, failure) -> {
          ticket.done(failure == null);
          metrics.submitAnswered(arrived);
          if (failure == null) {
            metrics.submission(answer.getAck().getDuplicate() ? "duplicate" : "stored");
            reply(natsMessage, answer);
          } else {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
            StatusRuntimeException mapped = ApiErrors.toClientError(cause);
            if (mapped.getStatus().getCode() == Status.Code.INTERNAL) {
              mapped = InternalErrors.report(log, "submit in " + request.getConversationId() + " failed", cause,
                  "conversation_id", request.getConversationId(), "client_message_id", request.getClientMessageId(),
                  "sender_user_id", request.getSenderUserId());
            }
            metrics.submission(mapped.getStatus().getCode().name().toLowerCase(java.util.Locale.ROOT));
            reply(natsMessage, error(mapped, request.getClientMessageId()));
          }
        });
  }

  /** The reply to a committed send; a group command's also carries the group as of its change. */
  private CompletionStage<SubmitReply> withGroup(SubmitRequest request, SendAck ack) {
    SubmitReply plain = SubmitReply.newBuilder().setAck(ack).build();
    if (!request.hasGroupCommand() || request.getGroupCommand().hasLeave()) {
      return CompletableFuture.completedFuture(plain);
    }
    return sequencer.group(request.getConversationId())
        .thenApply(group -> group.map(g -> plain.toBuilder().setGroup(g).build()).orElse(plain));
  }

  /**
   * Checks membership and sequences the message. A 1:1 conversation's members are in its id; its metadata
   * row is written alongside the first send this router sees, not before it.
   */
  private CompletionStage<SendAck> sequence(SubmitRequest request, int shard) {
    String conversationId = request.getConversationId();
    if (ConversationIds.isGroup(conversationId)) {
      // The sequencer decides membership at the message's place in the group's order.
      return sequencer.submit(request, Set.of(), shard);
    }
    if (request.hasGroupCommand()) {
      return CompletableFuture.failedFuture(ApiErrors.invalidArgument("NOT_A_GROUP",
          "group commands apply to group conversations only"));
    }
    if (!ConversationIds.isDirect(conversationId)) {
      return commitLog
          .members(conversationId)
          .thenCompose(stored -> {
            Set<String> members = stored.orElseThrow(() -> new CompletionException(
                ApiErrors.notFound("UNKNOWN_CONVERSATION", "no such conversation: " + conversationId)));
            requireMember(members, request);
            return sequencer.submit(request, members, shard);
          });
    }
    Optional<ConversationIds.Pair> pair = ConversationIds.directMembers(conversationId);
    if (pair.isEmpty()) {
      return CompletableFuture.failedFuture(ApiErrors.invalidArgument("MALFORMED_CONVERSATION_ID",
          "malformed direct conversation id: " + conversationId));
    }
    String first = pair.get().first();
    String second = pair.get().second();
    Set<String> members = Set.of(first, second);
    try {
      requireMember(members, request);
    } catch (StatusRuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<SendAck> sent = sequencer.submit(request, members, shard);
    if (known.contains(conversationId)) {
      return sent;
    }
    // Acknowledged only once the row is stored too: a failure makes the sender retry, which is answered
    // from the stored client id and writes the row again.
    CompletableFuture<Void> stored = commitLog
        .ensureDirectConversation(conversationId, first, second)
        .thenRun(() -> known.add(conversationId))
        .toCompletableFuture();
    return sent.thenCombine(stored, (ack, ignored) -> ack);
  }

  private static void requireMember(Set<String> members, SubmitRequest request) {
    if (!members.contains(request.getSenderUserId())) {
      throw ApiErrors.permissionDenied("NOT_A_MEMBER", "you are not a member of this conversation");
    }
  }

  private static SubmitReply error(StatusRuntimeException e, String clientMessageId) {
    return SubmitReply.newBuilder()
        .setError(StreamError.newBuilder()
            .setCode(e.getStatus().getCode().name())
            .setReason(ApiErrors.reasonOf(e))
            .setMessage(e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription())
            .setRetryAfterMs((int) Math.min(Integer.MAX_VALUE, ApiErrors.retryAfterMillisOf(e)))
            .setClientMessageId(clientMessageId))
        .build();
  }

  private void reply(Message request, SubmitReply reply) {
    if (request.getReplyTo() != null) {
      nats.publish(request.getReplyTo(), reply.toByteArray());
    }
  }

}
