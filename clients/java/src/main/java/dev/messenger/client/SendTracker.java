package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sends in flight: the {@link Outbox} (what must reach the server), the futures of this process's
 * callers, and the queue of ids still to write on the current stream. {@link #submit} is thread-safe; the
 * rest runs on the event loop.
 */
final class SendTracker {
  private final Outbox outbox;
  private final Map<String, CompletableFuture<SendAck>> futures = new ConcurrentHashMap<>();
  private final ArrayDeque<String> toWrite = new ArrayDeque<>();
  /** Ids queued or already written on the current stream; an id is written at most once per stream. */
  private final Set<String> onStream = new HashSet<>();
  /** Ids submitted by this process and never written to any stream: their next write is a first attempt. */
  private final Set<String> neverWritten = ConcurrentHashMap.newKeySet();

  SendTracker(Outbox outbox) {
    this.outbox = requireNonNull(outbox, "outbox");
  }

  /** Adds to the outbox; the future fails at once with {@link OutboxFullException} when it is full. */
  CompletableFuture<SendAck> submit(SendRequest request) {
    CompletableFuture<SendAck> future = new CompletableFuture<>();
    futures.put(request.getClientMessageId(), future);
    neverWritten.add(request.getClientMessageId());
    if (!outbox.add(request)) {
      futures.remove(request.getClientMessageId());
      neverWritten.remove(request.getClientMessageId());
      future.completeExceptionally(new OutboxFullException());
    }
    return future;
  }

  /** A new stream: everything in the outbox must be written again, in order. */
  void restartWrites() {
    stopWrites();
    for (SendRequest request : outbox.pending()) {
      enqueue(request.getClientMessageId());
    }
  }

  /** Queues one id for writing on the current stream, unless already queued or written there. */
  void enqueue(String clientMessageId) {
    if (onStream.add(clientMessageId)) {
      toWrite.add(clientMessageId);
    }
  }

  /** Queues an id again after the server asked to retry it later. */
  void retry(String clientMessageId) {
    if (!toWrite.contains(clientMessageId)) {
      onStream.add(clientMessageId);
      toWrite.add(clientMessageId);
    }
  }

  /** Stops writing anything (the stream ended). */
  void stopWrites() {
    toWrite.clear();
    onStream.clear();
  }

  /**
   * The next send to write, skipping ids acknowledged or rejected meanwhile; null when none. It says whether
   * it is the id's first attempt: a send from an outbox this process did not fill may have been written before.
   */
  SendRequest pollWrite() {
    String id;
    while ((id = toWrite.poll()) != null) {
      Optional<SendRequest> request = outbox.get(id);
      if (request.isPresent()) {
        return request.get().toBuilder().setFirstAttempt(neverWritten.remove(id)).build();
      }
    }
    return null;
  }

  /** The conversation a pending send goes to (its target), in which its order with other sends matters. */
  Optional<String> laneOf(String clientMessageId) {
    return outbox.get(clientMessageId).map(request -> request.hasConversationId()
        ? request.getConversationId() : "@" + request.getToUserId());
  }

  boolean isPending(String clientMessageId) {
    return outbox.get(clientMessageId).isPresent();
  }

  /**
   * The server stored the send: removes it and returns the caller's future (completed by the caller of
   * this method), or null when this ack answers nothing pending (a repeated answer).
   */
  Acked acknowledged(SendAck ack) {
    String id = ack.getClientMessageId();
    boolean pending = isPending(id);
    outbox.remove(id);
    onStream.remove(id);
    neverWritten.remove(id);
    CompletableFuture<SendAck> future = futures.remove(id);
    return pending || future != null ? new Acked(future) : null;
  }

  /** The server refused the send for good: removes it; returns the caller's future or null. */
  CompletableFuture<SendAck> rejected(String clientMessageId) {
    outbox.remove(clientMessageId);
    onStream.remove(clientMessageId);
    neverWritten.remove(clientMessageId);
    return futures.remove(clientMessageId);
  }

  /** Fails every caller's future (the sends stay in the outbox). */
  void failAll(RuntimeException error) {
    for (String id : Set.copyOf(futures.keySet())) {
      CompletableFuture<SendAck> future = futures.remove(id);
      if (future != null) {
        future.completeExceptionally(error);
      }
    }
  }

  /** Result of {@link #acknowledged}: the caller's future, null when the send came from an earlier run. */
  record Acked(CompletableFuture<SendAck> future) {}
}
