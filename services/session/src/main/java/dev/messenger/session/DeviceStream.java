package dev.messenger.session;

import dev.messenger.api.v1.CaughtUp;
import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Delivery;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.Receipt;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.common.errors.ApiErrors;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one device's stream: what it has been sent, and a bounded queue of frames written
 * only while gRPC says the client is ready. Catch-up reads history in batches, one batch at a time and
 * only while the queue has room, so a slow client never makes the server read or buffer ahead. Live
 * messages arriving during catch-up wait in a bounded buffer; per conversation, a message is written only
 * if it is the next seq, duplicates are dropped and a gap starts another catch-up round. A client whose
 * queue is full is cut with RESOURCE_EXHAUSTED (SLOW_CONSUMER) and resumes from its cursor.
 */
final class DeviceStream {
  private static final Logger log = LoggerFactory.getLogger(DeviceStream.class);

  private final String userId;
  private final String deviceId;
  private final String streamId = java.util.UUID.randomUUID().toString();
  private final ServerCallStreamObserver<ServerFrame> out;
  private final SessionStore store;
  private final Executor executor;
  private final StreamLimits limits;
  private final BiConsumer<DeviceStream, String> onClosed;
  private final SessionMetrics metrics;
  private final Map<String, Long> sent = new HashMap<>();
  private final DeliveryAckFilter acks;
  private final ReceiptFilter receipts = new ReceiptFilter();
  /** The cursor's sync time: catch-up examines only conversations changed since (0: all of them). */
  private long syncedAtMs;
  private final ArrayDeque<ServerFrame> queue = new ArrayDeque<>();
  private final ArrayDeque<Message> heldLive = new ArrayDeque<>();
  private long queuedBytes;
  private long heldBytes;
  /** The largest message read from history so far: catch-up batches shrink so a batch fits the byte budget. */
  private int largestSeen = 4096;
  private boolean catchingUp;
  private boolean catchUpReadInFlight;
  private boolean heldOverflow;
  private boolean againRequested;
  private boolean caughtUpSent;
  private long caughtUpCount;
  private boolean closed;

  DeviceStream(String userId, String deviceId, ServerCallStreamObserver<ServerFrame> out, Cursor resume,
      SessionStore store, Executor executor, StreamLimits limits, BiConsumer<DeviceStream, String> onClosed,
      SessionMetrics metrics) {
    this.userId = userId;
    this.deviceId = deviceId;
    this.out = out;
    this.store = store;
    this.executor = executor;
    this.limits = limits;
    this.onClosed = onClosed;
    this.metrics = metrics;
    this.sent.putAll(resume.getSeqsMap());
    this.syncedAtMs = resume.getSyncedAtMs();
    this.acks = new DeliveryAckFilter(userId, resume);
  }

  String userId() {
    return userId;
  }

  String deviceId() {
    return deviceId;
  }

  /** Unique per stream, for presence reports. */
  String streamId() {
    return streamId;
  }

  /** Sends Welcome-like first frames and starts catch-up. Call after the user's subject is subscribed. */
  synchronized void start(ServerFrame welcome) {
    enqueue(welcome);
    beginCatchUp("connect");
  }

  /** A frame that is not a delivery (acks, receipts, typing, errors). */
  synchronized void send(ServerFrame frame) {
    enqueue(frame);
  }

  /** A member's receipt, passed on only when it moves forward (see {@link ReceiptFilter}). */
  synchronized void onReceipt(Receipt receipt) {
    if (receipts.admit(receipt)) {
      enqueue(ServerFrame.newBuilder().setReceipt(receipt).build());
    }
  }

  /** A live message from the user's subject. */
  synchronized void onLive(Message message) {
    if (closed) {
      return;
    }
    if (catchingUp) {
      hold(message);
      return;
    }
    deliverInOrder(message);
  }

  /**
   * Reads history after what was sent, in case live messages were lost on the way here. During a catch-up,
   * another round follows it: the one in progress may have read before what was lost was stored.
   */
  synchronized void resync() {
    if (closed) {
      return;
    }
    if (catchingUp) {
      againRequested = true;
      return;
    }
    beginCatchUp("resync");
  }

  /**
   * History now holds the conversation up to {@code upToSeq}. A stream that has not sent that far missed
   * the live message (it subscribed after it was published) and reads history again, unless catch-up
   * holds a live message of the conversation at least that far (and none that adds the user, see
   * {@link #holdsLive}): delivering it after catch-up reads whatever is missing below it (a gap), so
   * another round would only read the same history twice.
   */
  synchronized void onProjected(String conversationId, long upToSeq) {
    if (closed || upToSeq <= sent.getOrDefault(conversationId, 0L)) {
      return;
    }
    if (catchingUp && holdsLive(conversationId, upToSeq)) {
      return;
    }
    resync();
  }

  /** The highest seq this stream has written for the conversation (0 if none). */
  synchronized long sentSeq(String conversationId) {
    return sent.getOrDefault(conversationId, 0L);
  }

  /** Notes the device's ack; true when it must be recorded (see {@link DeliveryAckFilter}). */
  synchronized boolean ackWorthRecording(String conversationId, long upToSeq) {
    return acks.worthRecording(conversationId, upToSeq);
  }

  /** Caught up once and not catching up again: moving it to another server now wastes no history read. */
  synchronized boolean settled() {
    return caughtUpSent && !catchingUp && !closed;
  }

  /** Bytes of frames waiting for the client to be ready. */
  synchronized long queuedBytes() {
    return queuedBytes;
  }

  /** gRPC's onReady: write what the client can take now. */
  synchronized void drain() {
    while (!closed && !queue.isEmpty() && out.isReady()) {
      ServerFrame frame = queue.poll();
      queuedBytes -= frame.getSerializedSize();
      out.onNext(frame);
    }
    if (!closed && catchingUp && !catchUpReadInFlight && queueHalfEmpty()) {
      readNextCatchUpBatch();
    }
  }

  private boolean queueHalfEmpty() {
    return queue.size() < limits.maxQueuedFrames() / 2 && queuedBytes < limits.maxQueuedBytes() / 2;
  }

  /** Ends the stream with an error status (displaced, slow, draining). */
  synchronized void close(StatusRuntimeException status) {
    if (closed) {
      return;
    }
    closed = true;
    clearBuffers();
    try {
      out.onError(status);
    } catch (IllegalStateException alreadyClosed) {
      log.debug("stream of {}/{} already closed", userId, deviceId);
    }
    String reason = ApiErrors.reasonOf(status);
    onClosed.accept(this, reason.isEmpty() ? status.getStatus().getCode().name().toLowerCase(java.util.Locale.ROOT)
        : reason.toLowerCase(java.util.Locale.ROOT));
  }

  /** Ends the stream normally (the client half-closed). */
  synchronized void complete() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.onCompleted();
    } catch (IllegalStateException alreadyClosed) {
      log.debug("stream of {}/{} already closed", userId, deviceId);
    }
    onClosed.accept(this, "client_completed");
  }

  /** The client went away (cancelled). */
  synchronized void cancelled() {
    if (!closed) {
      closed = true;
      clearBuffers();
      onClosed.accept(this, "client_cancelled");
    }
  }

  /** Keeps a live message for after catch-up; past the bounds, drops them all and reads history again. */
  private void hold(Message message) {
    int size = message.getSerializedSize();
    if (heldLive.size() >= limits.maxHeldLive() || heldBytes + size > limits.maxHeldLiveBytes()) {
      heldLive.clear();
      heldBytes = 0;
      heldOverflow = true;
    } else if (!heldOverflow) {
      heldLive.add(message);
      heldBytes += size;
    }
  }

  /**
   * A live message of the conversation at or past {@code seq} waits for catch-up to end, and none of the
   * held ones opens the conversation to this user: such an entry is delivered across a gap, not read into.
   */
  private boolean holdsLive(String conversationId, long seq) {
    boolean reaches = false;
    for (Message held : heldLive) {
      if (held.getConversationId().equals(conversationId)) {
        if (dev.messenger.common.GroupEntries.opensFor(held, userId)) {
          return false;
        }
        reaches |= held.getSeq() >= seq;
      }
    }
    return reaches;
  }

  private void clearBuffers() {
    queue.clear();
    heldLive.clear();
    queuedBytes = 0;
    heldBytes = 0;
  }

  private void deliverInOrder(Message message) {
    long last = sent.getOrDefault(message.getConversationId(), 0L);
    if (message.getSeq() <= last) {
      return;
    }
    if (message.getSeq() > last + 1 && !dev.messenger.common.GroupEntries.opensFor(message, userId)) {
      // A live message was lost between router and here: history has it.
      beginCatchUp("gap");
      hold(message);
      return;
    }
    sent.put(message.getConversationId(), message.getSeq());
    acks.delivered(message);
    metrics.liveDelivered(message.getServerTimeMs());
    enqueue(ServerFrame.newBuilder().setDelivery(Delivery.newBuilder().setMessage(message)).build());
  }

  private void beginCatchUp(String cause) {
    if (catchingUp) {
      return;
    }
    catchingUp = true;
    metrics.catchUpRound(cause);
    readNextCatchUpBatch();
  }

  private void readNextCatchUpBatch() {
    catchUpReadInFlight = true;
    Cursor cursor = Cursor.newBuilder().putAllSeqs(sent).setSyncedAtMs(syncedAtMs).build();
    int count = (int) Math.max(1, Math.min(limits.catchUpBatch(), limits.maxQueuedBytes() / 2 / largestSeen));
    store.since(userId, cursor, count)
        .whenCompleteAsync((batch, error) -> onCatchUpBatch(batch, error), executor);
  }

  private synchronized void onCatchUpBatch(SessionStore.Batch batch, Throwable error) {
    if (closed) {
      return;
    }
    if (error != null) {
      catchUpReadInFlight = false;
      log.atWarn().addKeyValue("user_id", userId).addKeyValue("device_id", deviceId)
          .addKeyValue("stream_id", streamId).log("catch-up read for {} failed: {}", userId, error.toString());
      close(ApiErrors.unavailable("HISTORY_UNAVAILABLE", "history could not be read; reconnect with your cursor"));
      return;
    }
    for (Message message : batch.messages()) {
      largestSeen = Math.max(largestSeen, message.getSerializedSize());
      long last = sent.getOrDefault(message.getConversationId(), 0L);
      if (message.getSeq() == last + 1
          || (message.getSeq() > last && dev.messenger.common.GroupEntries.opensFor(message, userId))) {
        sent.put(message.getConversationId(), message.getSeq());
        acks.delivered(message);
        caughtUpCount++;
        enqueue(ServerFrame.newBuilder().setDelivery(Delivery.newBuilder().setMessage(message)).build());
      }
    }
    catchUpReadInFlight = false;
    if (closed) {
      return;
    }
    syncedAtMs = Math.max(syncedAtMs, batch.next().getSyncedAtMs());
    if (!batch.complete()) {
      if (queueHalfEmpty()) {
        readNextCatchUpBatch();
      }
      // Otherwise drain() asks for the next batch once the client has taken half of the queue.
      return;
    }
    if (heldOverflow || againRequested) {
      metrics.catchUpRound(heldOverflow ? "held_overflow" : "resync");
      heldOverflow = false;
      againRequested = false;
      readNextCatchUpBatch();
      return;
    }
    catchingUp = false;
    if (!caughtUpSent) {
      caughtUpSent = true;
      enqueue(ServerFrame.newBuilder().setCaughtUp(CaughtUp.newBuilder().setDelivered(caughtUpCount)
          .setSyncedAtMs(syncedAtMs)).build());
    }
    while (!catchingUp && !heldLive.isEmpty() && !closed) {
      Message held = heldLive.poll();
      heldBytes -= held.getSerializedSize();
      deliverInOrder(held);
    }
  }

  private void enqueue(ServerFrame frame) {
    if (closed) {
      return;
    }
    int size = frame.getSerializedSize();
    if (queue.size() >= limits.maxQueuedFrames()
        || (!queue.isEmpty() && queuedBytes + size > limits.maxQueuedBytes())) {
      close(ApiErrors.resourceExhausted("SLOW_CONSUMER",
          "the client fell too far behind; reconnect and resume from your cursor"));
      return;
    }
    queue.add(frame);
    queuedBytes += size;
    drain();
  }
}
