package dev.messenger.client;

import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.DeliveryAck;
import dev.messenger.api.v1.HeartbeatRequest;
import dev.messenger.api.v1.SendRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the client writes on the current stream, and when. Nothing here queues frames: heartbeats are a
 * flag, acks and control requests are coalesced per conversation, and sends are read from the outbox, so
 * memory stays bounded; frames are built only while the stream {@link SessionStream#isReady() is ready},
 * in priority order heartbeat, delivery acks, control, sends. Event-loop only.
 */
final class Outbound {
  private static final Logger log = LoggerFactory.getLogger(Outbound.class);

  private final Supplier<SessionStream> current;
  private final CursorTracker cursors;
  private final CursorStore cursorStore;
  private final AckBatcher acks;
  private final SendTracker sends;
  private final PendingControl control;
  private final Counters counters;
  private final Clock clock;
  private final LoopTimers timers;
  private final Duration ackMaxDelay;
  private final SendWritten written;
  private boolean heartbeatDue;
  private ScheduledFuture<?> ackTimer;

  Outbound(Supplier<SessionStream> current, ClientConfig config, CursorTracker cursors, SendTracker sends,
      PendingControl control, Counters counters, LoopTimers timers, SendWritten written) {
    this.current = current;
    this.cursors = cursors;
    this.cursorStore = config.cursorStore();
    this.acks = new AckBatcher(config.ackMaxMessages());
    this.sends = sends;
    this.control = control;
    this.counters = counters;
    this.clock = config.clock();
    this.timers = timers;
    this.ackMaxDelay = config.ackMaxDelay();
    this.written = written;
  }

  /** Hears each send as it is written on a stream. */
  @FunctionalInterface
  interface SendWritten {
    void written(String clientMessageId, long atNanos);
  }

  /** A stream was welcomed: resend the outbox and the watch list, flush acks left from before. */
  void streamWelcomed() {
    sends.restartWrites();
    control.newStream();
    acks.markAllDue();
    drain();
  }

  void streamGone() {
    heartbeatDue = false;
    sends.stopWrites();
  }

  void heartbeat() {
    heartbeatDue = true;
    drain();
  }

  /** The listener finished a delivery: advance the cursor, ack in batches. */
  void committed(String conversationId, long seq) {
    cursors.commit(conversationId, seq);
    if (acks.committed(conversationId, seq)) {
      persistCursor();
      drain();
    } else if (ackTimer == null && acks.hasUndue()) {
      ackTimer = timers.after(ackMaxDelay, () -> {
        ackTimer = null;
        flushAcks();
      });
    }
  }

  /** Saves the cursor and makes every pending ack due (timer, CaughtUp). */
  void flushAcks() {
    LoopTimers.cancel(ackTimer);
    ackTimer = null;
    persistCursor();
    acks.markAllDue();
    drain();
  }

  /** Writes pending frames while the stream can take them. */
  void drain() {
    SessionStream stream = current.get();
    if (stream == null || !stream.welcomed()) {
      return;
    }
    while (stream.isReady()) {
      ClientFrame frame = next();
      if (frame == null) {
        return;
      }
      stream.write(frame);
    }
  }

  /** Final flush on close: saves the cursor and, if {@code stream} is usable, writes every pending ack. */
  void close(SessionStream stream) {
    LoopTimers.cancel(ackTimer);
    ackTimer = null;
    persistCursor();
    if (stream != null && stream.welcomed()) {
      acks.markAllDue();
      for (DeliveryAck ack = acks.pollDue(); ack != null; ack = acks.pollDue()) {
        stream.write(ClientFrame.newBuilder().setDeliveryAck(ack).build());
      }
    }
  }

  private ClientFrame next() {
    if (heartbeatDue) {
      heartbeatDue = false;
      return ClientFrame.newBuilder()
          .setHeartbeat(HeartbeatRequest.newBuilder().setClientTimeMs(clock.millis()))
          .build();
    }
    DeliveryAck ack = acks.pollDue();
    if (ack != null) {
      return ClientFrame.newBuilder().setDeliveryAck(ack).build();
    }
    ClientFrame request = control.poll();
    if (request != null) {
      return request;
    }
    SendRequest send = sends.pollWrite();
    if (send != null) {
      counters.sendsWritten.increment();
      written.written(send.getClientMessageId(), System.nanoTime());
      return ClientFrame.newBuilder().setSend(send).build();
    }
    return null;
  }

  /** Saves the committed cursor if it moved; always before the matching acks are written. */
  private void persistCursor() {
    Cursor dirty = cursors.takeDirty();
    if (dirty != null) {
      try {
        cursorStore.save(dirty);
      } catch (RuntimeException e) {
        log.warn("cursor store failed to save", e);
      }
    }
  }
}
