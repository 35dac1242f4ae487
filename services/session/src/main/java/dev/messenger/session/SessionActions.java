package dev.messenger.session;

import dev.messenger.api.v1.DeliveryAck;
import dev.messenger.api.v1.ReadMarker;
import dev.messenger.api.v1.Receipt;
import dev.messenger.api.v1.ReceiptKind;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.Typing;
import dev.messenger.api.v1.TypingUpdate;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.Subjects;
import dev.messenger.common.UserEventPublisher;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.auth.Principal;
import dev.messenger.internal.v1.DeviceHeartbeat;
import dev.messenger.internal.v1.UserEvent;
import io.nats.client.Connection;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a device can do, shared by the Connect stream and the unary web calls: send, acknowledge delivery,
 * mark read, type. Receipts go to the other members' devices over their user subjects.
 */
final class SessionActions {
  private static final Logger log = LoggerFactory.getLogger(SessionActions.class);
  /**
   * Groups larger than this get no per-member live receipts (members x members messages per round of acks):
   * the reader's own devices still do, and senders read the aggregate (History.GetReceiptSummary).
   */
  static final int LIVE_RECEIPT_MAX_MEMBERS = 32;
  private final RouterClient router;
  private final SessionStore store;
  private final Connection nats;
  private final Subjects subjects;
  private final SendRateLimiter rateLimiter;
  private final LocalStreams streams;
  private final Clock clock;
  private final SessionMetrics metrics;
  private final ScheduledExecutorService scheduler;
  private final SessionLimits userLimits;

  /** How long a server keeps hearing the sends of a user who sent through it without a stream here. */
  static final java.time.Duration SEND_WATCH = java.time.Duration.ofSeconds(10);

  SessionActions(RouterClient router, SessionStore store, Connection nats, Subjects subjects,
      SendRateLimiter rateLimiter, LocalStreams streams, Clock clock, SessionMetrics metrics,
      ScheduledExecutorService scheduler, SessionLimits userLimits) {
    this.router = router;
    this.store = store;
    this.nats = nats;
    this.subjects = subjects;
    this.rateLimiter = rateLimiter;
    this.streams = streams;
    this.clock = clock;
    this.metrics = metrics;
    this.scheduler = scheduler;
    this.userLimits = userLimits;
  }

  /**
   * The ack window of a new Connect stream of {@code caller}: what it merges is recorded when it closes, and
   * charged to the user's receipt rate (it reaches the store) without being refused (it was admitted).
   */
  DeliveryAckWindow ackWindow(Principal caller) {
    return new DeliveryAckWindow(scheduler, (conversationId, upToSeq) -> {
      userLimits.chargeReceipt(caller);
      DeliveryAck merged = DeliveryAck.newBuilder().setConversationId(conversationId).setUpToSeq(upToSeq).build();
      deliveryAck(caller, merged, upToSeq).whenComplete((done, error) -> {
        if (error != null) {
          log.debug("merged delivery ack of {} in {} not recorded: {}", caller.userId(), conversationId,
              error.toString());
        }
      });
    });
  }

  /** Validates, rate-limits and stores a message; completes with its SendAck once it is durable. */
  CompletableFuture<SendAck> send(Principal sender, SendRequest request) {
    return send(sender, request, null);
  }

  /**
   * As {@link #send(Principal, SendRequest)}, placing the message behind the stream's earlier sends of the
   * conversation that are not acknowledged yet ({@code order} null: no such order, as for unary calls).
   */
  CompletableFuture<SendAck> send(Principal sender, SendRequest request, SendOrder order) {
    try {
      var submit = SendValidator.validate(sender, request);
      String conversationId = submit.getConversationId();
      String clientId = submit.getClientMessageId();
      if (order != null) {
        submit = submit.toBuilder().setAfterClientMessageId(order.previous(conversationId, clientId)).build();
      }
      CompletableFuture<SendAck> result;
      java.time.Duration wait = rateLimiter.acquire(sender.userId(), clientId);
      if (!wait.isZero()) {
        metrics.sendRejected("RATE_LIMITED");
        result = CompletableFuture.failedFuture(ApiErrors.withRetryAfter(io.grpc.Status.Code.RESOURCE_EXHAUSTED,
            "RATE_LIMITED", "more than " + rateLimiter.ratePerSecond() + " messages a second (bursts of twice "
                + "that); resend with the same client_message_id after the retry delay", wait));
      } else {
        long start = System.nanoTime();
        if (order == null) {
          streams.watchSends(sender.userId(), start, SEND_WATCH); // its other sends may go to other servers
        }
        result = router.submit(submit).whenComplete((ack, error) -> metrics.sendCompleted(start, error));
      }
      if (order != null) {
        result = result.whenComplete((ack, error) ->
            order.answered(conversationId, clientId, error != null && ApiErrors.isRetryable(error)));
      }
      return result;
    } catch (RuntimeException e) {
      metrics.sendRejected(ApiErrors.reasonOf(e));
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * A Connect stream's delivery ack: as {@link #deliveryAck(Principal, DeliveryAck, long)}, unless it newly
   * covers only the user's own messages delivered on that stream (see {@link DeliveryAckFilter}) or falls in
   * the conversation's open ack window (see {@link DeliveryAckWindow}).
   */
  CompletionStage<Void> deliveryAck(Principal caller, DeliveryAck ack, DeviceStream stream, DeliveryAckWindow window) {
    long sentHere = stream.sentSeq(ack.getConversationId());
    boolean inRange = ack.getUpToSeq() >= 1 && ack.getUpToSeq() <= sentHere;
    if (inRange && !stream.ackWorthRecording(ack.getConversationId(), ack.getUpToSeq())) {
      metrics.deliveryAck("own_messages_only");
      return CompletableFuture.completedFuture(null);
    }
    if (inRange && !window.admit(ack.getConversationId(), ack.getUpToSeq())) {
      metrics.deliveryAck("merged");
      return CompletableFuture.completedFuture(null);
    }
    try {
      userLimits.receipt(caller);
    } catch (RuntimeException limited) {
      metrics.deliveryAck("rate_limited");
      return CompletableFuture.failedFuture(limited);
    }
    metrics.deliveryAck("recorded");
    return deliveryAck(caller, ack, sentHere);
  }

  /**
   * Records that the device has everything up to {@code upToSeq} and tells the other members' devices.
   * {@code knownLastSeq} is the highest seq the caller may acknowledge.
   */
  CompletionStage<Void> deliveryAck(Principal caller, DeliveryAck ack, long knownLastSeq) {
    if (ack.getUpToSeq() <= 0 || ack.getUpToSeq() > knownLastSeq) { // uint64: above 2^63 - 1 it is negative
      // A non-member has received nothing either: say what it is rather than that the seq is out of range.
      return members(caller, ack.getConversationId()).thenCompose(members -> CompletableFuture.failedFuture(
          ApiErrors.invalidArgument("SEQ_OUT_OF_RANGE",
              "up_to_seq must be between 1 and the last seq delivered to this device")));
    }
    if (ConversationIds.isGroup(ack.getConversationId())) {
      // Bounded by what this user received (this stream, or the user's own copies), so a member then: no
      // membership read. The device's cursor and the member's watermark are written; other members count
      // deliveries through History.GetReceiptSummary rather than one live receipt per member per ack.
      return store.recordDelivered(caller.userId(), caller.deviceId(), ack.getConversationId(), ack.getUpToSeq());
    }
    return members(caller, ack.getConversationId())
        .thenCompose(members -> store
            .recordDelivered(caller.userId(), caller.deviceId(), ack.getConversationId(), ack.getUpToSeq())
            .thenRun(() -> publishReceipt(members, caller.userId(), ack.getConversationId(),
                ReceiptKind.RECEIPT_KIND_DELIVERED, ack.getUpToSeq(), false)));
  }

  /**
   * Moves the user's read marker forward and tells every member's devices, the reader's own included.
   * {@code deliveredHere} is the highest seq delivered to the caller's stream on this server (0 if none): a
   * message is delivered at commit, possibly before history holds it, and may be marked read at once. A
   * marker below the stored one is not written, and the receipt names the stored one: read receipts never
   * go backwards.
   */
  CompletionStage<Void> read(Principal caller, ReadMarker marker, long deliveredHere) {
    try {
      userLimits.receipt(caller);
    } catch (RuntimeException limited) {
      return CompletableFuture.failedFuture(limited);
    }
    return members(caller, marker.getConversationId())
        .thenCompose(members -> store.readState(caller.userId(), marker.getConversationId())
            .thenCompose(state -> {
              if (marker.getUpToSeq() <= 0 || marker.getUpToSeq() > Math.max(state.lastSeq(), deliveredHere)) {
                throw new CompletionException(ApiErrors.invalidArgument("SEQ_OUT_OF_RANGE",
                    "up_to_seq must be between 1 and the conversation's last seq"));
              }
              // The stored marker may be ahead: another device's marker, or the projection's for the user's
              // own message (which told no one). Say that one then: never a lower seq than before.
              long upTo = Math.max(marker.getUpToSeq(), state.readSeq());
              CompletionStage<Void> stored = marker.getUpToSeq() > state.readSeq()
                  ? store.recordRead(caller.userId(), marker.getConversationId(), marker.getUpToSeq())
                  : CompletableFuture.completedFuture(null);
              return stored.thenRun(() -> publishReceipt(members, caller.userId(), marker.getConversationId(),
                  ReceiptKind.RECEIPT_KIND_READ, upTo, true));
            }));
  }

  /** Takes a receipt token of the caller (a unary AckDelivery) or throws RECEIPT_RATE_LIMITED. */
  void admitReceipt(Principal caller) {
    userLimits.receipt(caller);
  }

  /** Takes a presence watch token of the caller or throws WATCH_RATE_LIMITED. */
  void admitWatch(Principal caller) {
    userLimits.watch(caller);
  }

  /** Tells the other members that the caller is (not) typing. */
  CompletionStage<Void> typing(Principal caller, Typing typing) {
    return typing(caller, typing, () -> true);
  }

  /**
   * As {@link #typing(Principal, Typing)}, but a member's frame is passed on only when {@code passOn} says so
   * (a {@link TypingWindow}); a non-member is refused either way.
   */
  CompletionStage<Void> typing(Principal caller, Typing typing, java.util.function.BooleanSupplier passOn) {
    return members(caller, typing.getConversationId()).thenAccept(members -> {
      if (!passOn.getAsBoolean()) {
        return;
      }
      byte[] event = UserEvent.newBuilder().setTyping(TypingUpdate.newBuilder()
          .setConversationId(typing.getConversationId())
          .setUserId(caller.userId())
          .setTyping(typing.getTyping())).build().toByteArray();
      for (String member : members) {
        if (!member.equals(caller.userId())) {
          nats.publish(subjects.user(member, UserEventPublisher.SESSION), event);
        }
      }
    });
  }

  /**
   * Passes a heartbeat of a device whose stream is not on this server to the servers holding the user's
   * streams (over the user's subject); the one holding the device's stream counts it for presence.
   */
  void relayHeartbeat(Principal caller) {
    nats.publish(subjects.user(caller.userId(), UserEventPublisher.SESSION), UserEvent.newBuilder()
        .setDeviceHeartbeat(DeviceHeartbeat.newBuilder().setDeviceId(caller.deviceId()))
        .build().toByteArray());
  }

  /**
   * The members of a conversation the caller belongs to; PERMISSION_DENIED or NOT_FOUND otherwise, and
   * INVALID_ARGUMENT for an id no conversation has (empty or too long, see {@link ConversationIds#fromRequest}).
   */
  CompletionStage<Set<String>> members(Principal caller, String conversationId) {
    try {
      ConversationIds.fromRequest(conversationId);
    } catch (io.grpc.StatusRuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (ConversationIds.isDirect(conversationId)) {
      var pair = ConversationIds.directMembers(conversationId);
      if (pair.isEmpty()) {
        return CompletableFuture.failedFuture(ApiErrors.invalidArgument("MALFORMED_CONVERSATION_ID",
            "malformed direct conversation id: " + conversationId));
      }
      if (!pair.get().contains(caller.userId())) {
        return CompletableFuture.failedFuture(notAMember());
      }
      return CompletableFuture.completedFuture(Set.of(pair.get().first(), pair.get().second()));
    }
    return store.members(conversationId).thenApply(members -> {
      if (members.isEmpty() || !members.get().contains(caller.userId())) {
        throw new CompletionException(notAMember());
      }
      return members.get();
    });
  }

  private void publishReceipt(Set<String> members, String userId, String conversationId, ReceiptKind kind,
      long upToSeq, boolean includeSelf) {
    byte[] event = UserEvent.newBuilder().setReceipt(Receipt.newBuilder()
        .setConversationId(conversationId)
        .setUserId(userId)
        .setKind(kind)
        .setUpToSeq(upToSeq)
        .setTimeMs(clock.millis())).build().toByteArray();
    boolean wide = members.size() > LIVE_RECEIPT_MAX_MEMBERS;
    for (String member : members) {
      boolean self = member.equals(userId);
      if ((includeSelf || !self) && (!wide || self)) {
        nats.publish(subjects.user(member, UserEventPublisher.SESSION), event);
      }
    }
  }

  private static RuntimeException notAMember() {
    return ApiErrors.permissionDenied("NOT_A_MEMBER", "you are not a member of this conversation");
  }
}
