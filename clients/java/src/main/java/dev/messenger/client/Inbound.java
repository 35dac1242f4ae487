package dev.messenger.client;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.StreamError;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the content frames of the current stream (deliveries, send answers, receipts, typing, presence)
 * into listener callbacks: deliveries once each and in seq order per conversation, send futures completed
 * or failed once each. Every frame ends with {@link SessionStream#processed()}, after its callback ran.
 * Event-loop only.
 */
final class Inbound {
  private static final String EARLIER_SEND_NOT_STORED = "EARLIER_SEND_NOT_STORED";
  /** Refusals that promise the servers stored nothing of the send (session.proto, first_attempt). */
  private static final Set<String> NOT_STORED_REASONS =
      Set.of("OVERLOADED", "RATE_LIMITED", "TOO_MANY_PENDING_SENDS", EARLIER_SEND_NOT_STORED);
  private static final Logger log = LoggerFactory.getLogger(Inbound.class);

  /** Told when a delivery skips seqs: the stream must be replaced so that catch-up fills the gap. */
  interface GapHandler {
    void onGap(SessionStream stream, StreamError error);
  }

  private final MessengerListener listener;
  private final Executor loop;
  private final Executor callbacks;
  private final CursorTracker cursors;
  private final SendTracker sends;
  private final Outbound outbound;
  private final Counters counters;
  private final Backoff sendRetryBackoff;
  private final LoopTimers timers;
  private final Supplier<SessionStream> current;
  private final GapHandler gaps;
  /** The user named by the stream's Welcome. */
  private volatile String userId;

  Inbound(ClientConfig config, Executor loop, Executor callbacks, CursorTracker cursors, SendTracker sends,
      Outbound outbound, Counters counters, LoopTimers timers, Supplier<SessionStream> current,
      GapHandler gaps) {
    this.listener = config.listener();
    this.loop = loop;
    this.callbacks = callbacks;
    this.cursors = cursors;
    this.sends = sends;
    this.outbound = outbound;
    this.counters = counters;
    this.sendRetryBackoff = new Backoff(config.backoff(), config.clock(), config.random());
    this.timers = timers;
    this.current = current;
    this.gaps = gaps;
  }

  /** The stream's Welcome named the user: entries that add them to a group are not gaps. */
  void welcomed(String userId) {
    this.userId = userId;
    sends.ownUser(userId);
  }

  void onFrame(SessionStream stream, ServerFrame frame) {
    switch (frame.getFrameCase()) {
      case DELIVERY -> onDelivery(stream, frame.getDelivery().getMessage());
      case SEND_ACK -> onSendAck(stream, frame.getSendAck());
      case ERROR -> onStreamError(stream, frame.getError());
      case RECEIPT -> dispatch(stream, () -> listener.onReceipt(frame.getReceipt()));
      case TYPING -> dispatch(stream, () -> listener.onTyping(frame.getTyping()));
      case PRESENCE -> dispatch(stream, () -> listener.onPresence(frame.getPresence()));
      default -> stream.processed();
    }
  }

  private void onDelivery(SessionStream stream, Message message) {
    String conversationId = message.getConversationId();
    long seq = message.getSeq();
    CursorTracker.Verdict verdict = cursors.accept(conversationId, seq);
    if (verdict == CursorTracker.Verdict.GAP && VisibilityStart.opensFor(message, userId)) {
      cursors.acceptStart(conversationId, seq);
      verdict = CursorTracker.Verdict.NEXT;
    }
    switch (verdict) {
      case DUPLICATE -> {
        counters.duplicatesDropped.increment();
        stream.processed();
      }
      case GAP -> {
        counters.gapsDetected.increment();
        gaps.onGap(stream, StreamError.newBuilder()
            .setCode("DATA_LOSS")
            .setReason(ClientReasons.GAP_DETECTED)
            .setMessage("conversation " + conversationId + ": expected seq "
                + (cursors.accepted(conversationId) + 1) + ", got " + seq + "; reconnecting")
            .build());
      }
      case NEXT -> {
        counters.messagesReceived.increment();
        callbacks.execute(() -> {
          safely(() -> listener.onMessage(message));
          loop.execute(() -> outbound.committed(conversationId, seq));
          stream.processed();
        });
      }
    }
  }

  private void onSendAck(SessionStream stream, SendAck ack) {
    SendTracker.Acked acked = sends.acknowledged(ack);
    if (acked == null) {
      stream.processed();
      return;
    }
    counters.sendsAcked.increment();
    sendRetryBackoff.reset();
    outbound.drain(); // sends parked behind this one follow it now
    callbacks.execute(() -> {
      safely(() -> listener.onSendAck(ack));
      if (acked.future() != null) {
        acked.future().complete(ack);
      }
      stream.processed();
    });
  }

  /** A rejected request: retryable sends are written again later, others fail their future. */
  private void onStreamError(SessionStream stream, StreamError error) {
    String id = error.getClientMessageId();
    CompletableFuture<SendAck> failed = null;
    if (!id.isEmpty() && sends.isPending(id)) {
      if (isRetryable(error.getCode())) {
        // A send refused while an earlier one of its conversation waits to be resent, or only because an
        // earlier one is not stored yet, waits behind that one and follows it. Otherwise: never sooner than
        // the server's hint, and later as refusals go on (resending every refused send at the hint would
        // multiply the load of a server that is already refusing), and the conversation's later sends wait.
        boolean behindEarlier = EARLIER_SEND_NOT_STORED.equals(error.getReason());
        if (NOT_STORED_REASONS.contains(error.getReason()) && current.get() == stream) {
          sends.refusedUnstored(id);
        }
        if (sends.parkIfHeld(id) || (behindEarlier && sends.parkBehindEarlier(id))) {
          outbound.drain(); // the hold may have moved to an earlier send that goes again now
        } else {
          Duration hinted = Duration.ofMillis(error.getRetryAfterMs());
          Duration backoff = sendRetryBackoff.nextDelay();
          Duration delay;
          if (behindEarlier) {
            // Nothing earlier is pending here any more: it was stored meanwhile, so go again soon.
            delay = hinted.isZero() || hinted.compareTo(backoff) > 0 ? backoff : hinted;
          } else {
            delay = hinted.compareTo(backoff) > 0 ? hinted : backoff;
            sends.hold(id);
          }
          timers.after(delay, () -> {
            if (current.get() == stream && sends.isPending(id)) {
              sends.retry(id);
              outbound.drain();
            }
          });
        }
      } else {
        failed = sends.rejected(id);
        outbound.drain();
      }
    }
    CompletableFuture<SendAck> toFail = failed;
    callbacks.execute(() -> {
      safely(() -> listener.onError(error));
      if (toFail != null) {
        toFail.completeExceptionally(new SendFailedException(error));
      }
      stream.processed();
    });
  }

  private static boolean isRetryable(String code) {
    return switch (code) {
      case "UNAVAILABLE", "RESOURCE_EXHAUSTED", "ABORTED", "DEADLINE_EXCEEDED" -> true;
      default -> false;
    };
  }

  private void dispatch(SessionStream stream, Runnable callback) {
    callbacks.execute(() -> {
      safely(callback);
      stream.processed();
    });
  }

  /** Runs a listener callback; what it throws is logged, never propagated. */
  static void safely(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.warn("listener callback failed", e);
    }
  }
}
