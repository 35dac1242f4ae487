package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sends in flight: the {@link Outbox} (what must reach the server), the futures of this process's
 * callers, and the queue of ids still to write on the current stream. A send refused for now holds its
 * conversation (its lane): the lane's later sends are not written until it is stored, then follow it in
 * order; writing them meanwhile would only get them refused because it is not stored yet, again and again
 * under overload. {@link #submit} is thread-safe; the rest runs on the event loop.
 */
final class SendTracker {
  private final Outbox outbox;
  private final Map<String, CompletableFuture<SendAck>> futures = new ConcurrentHashMap<>();
  private final ArrayDeque<String> toWrite = new ArrayDeque<>();
  /** Ids queued or already written on the current stream; an id is written at most once per stream. */
  private final Set<String> onStream = new HashSet<>();
  /** Ids submitted by this process and never written to any stream: their next write is a first attempt. */
  private final Set<String> neverWritten = ConcurrentHashMap.newKeySet();
  /** Ids written on the current stream as their first attempt, not answered yet. */
  private final Set<String> firstAttemptOnStream = new HashSet<>();
  /** Lane → the send that holds it: refused and waiting to be resent, or written alone until stored. */
  private final Map<String, String> heldBy = new HashMap<>();
  /** Lane → sends not written because the lane is held. */
  private final Map<String, Set<String>> parked = new HashMap<>();
  /**
   * When each id was first written on the current stream: the server orders a device's sends of a
   * conversation by that, which differs from the outbox's order when two threads send at once.
   */
  private final Map<String, Long> firstWritten = new HashMap<>();
  private long writes;
  private String ownUserId = "";

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

  /**
   * Queues an id again after the server asked to retry it later. If it holds its lane, the lane's earliest
   * waiting send goes alone (it, or one parked behind it that came before it) and holds the lane until it is
   * stored; the others follow then. Writing them all behind it would get every one refused again each time
   * an overloaded server refuses it again.
   */
  void retry(String clientMessageId) {
    Optional<String> held = laneOf(clientMessageId).filter(lane -> clientMessageId.equals(heldBy.get(lane)));
    if (held.isEmpty()) {
      requeue(clientMessageId);
      return;
    }
    Set<String> waiting = parked.computeIfAbsent(held.get(), l -> new LinkedHashSet<>());
    waiting.add(clientMessageId);
    for (String id : laneOrder(held.get())) {
      if (waiting.remove(id)) {
        heldBy.put(held.get(), id);
        requeue(id);
        return;
      }
    }
  }

  /** The user the stream is signed in as: a send to a user and one to their 1:1 conversation share a lane. */
  void ownUser(String userId) {
    this.ownUserId = userId;
  }

  /** A send refused for now: its lane's later sends wait for it (unless an earlier send holds the lane). */
  void hold(String clientMessageId) {
    laneOf(clientMessageId).ifPresent(lane -> heldBy.putIfAbsent(lane, clientMessageId));
  }

  /**
   * Parks a send behind the refused send that holds its lane, to be written right after that one; false when
   * its lane is not held by another send.
   */
  boolean parkIfHeld(String clientMessageId) {
    Optional<String> lane = laneOf(clientMessageId);
    if (lane.isEmpty() || !isHeldByAnother(lane.get(), clientMessageId)) {
      return false;
    }
    parked.computeIfAbsent(lane.get(), l -> new LinkedHashSet<>()).add(clientMessageId);
    return true;
  }

  /**
   * Parks a send refused because an earlier send of its lane is not stored behind the earliest pending send
   * of the lane, which then holds it until it is answered or written again; false when it has none. The
   * refusal may arrive before that send's own answer: waiting for the answer, not for a timer, is what
   * keeps the later send from being refused again and again meanwhile.
   */
  boolean parkBehindEarlier(String clientMessageId) {
    Optional<String> lane = laneOf(clientMessageId);
    if (lane.isEmpty()) {
      return false;
    }
    String earliest = laneOrder(lane.get()).get(0);
    if (earliest.equals(clientMessageId)) {
      return false;
    }
    // Also when this send held the lane itself: the hold moves to the send the server waits for. That send
    // may be parked behind this one (refused while this one held the lane): it goes now, or nothing would.
    String holder = heldBy.merge(lane.get(), earliest,
        (current, earlier) -> current.equals(clientMessageId) ? earlier : current);
    Set<String> waiting = parked.get(lane.get());
    if (waiting != null && waiting.remove(holder)) {
      requeue(holder);
    }
    return parkIfHeld(clientMessageId);
  }

  /** Stops writing anything (the stream ended). */
  void stopWrites() {
    toWrite.clear();
    onStream.clear();
    firstAttemptOnStream.clear(); // unanswered: those writes may have been stored
    heldBy.clear();
    parked.clear();
    firstWritten.clear();
  }

  private void requeue(String clientMessageId) {
    if (!toWrite.contains(clientMessageId)) {
      onStream.add(clientMessageId);
      toWrite.add(clientMessageId);
    }
  }

  private boolean isHeldByAnother(String lane, String clientMessageId) {
    String holder = heldBy.get(lane);
    return holder != null && !holder.equals(clientMessageId);
  }

  /** The lane's holder was answered: its parked sends follow, in the lane's order. */
  private void release(String lane) {
    heldBy.remove(lane);
    Set<String> waiting = parked.remove(lane);
    if (waiting == null) {
      return;
    }
    for (String id : laneOrder(lane)) {
      if (waiting.contains(id)) {
        requeue(id);
      }
    }
  }

  /**
   * The lane's pending sends in the order the server knows them: those written on this stream by when they
   * were first written, then the others in the outbox's order.
   */
  private List<String> laneOrder(String lane) {
    return outbox.pending().stream()
        .filter(request -> laneOf(request).equals(lane))
        .map(SendRequest::getClientMessageId)
        .sorted(Comparator.comparingLong(id -> firstWritten.getOrDefault(id, Long.MAX_VALUE)))
        .toList();
  }

  /**
   * The next send to write, skipping ids acknowledged or rejected meanwhile; null when none. It says whether
   * it is the id's first attempt: a send from an outbox this process did not fill may have been written before.
   */
  SendRequest pollWrite() {
    String id;
    while ((id = toWrite.poll()) != null) {
      Optional<SendRequest> request = outbox.get(id);
      if (request.isPresent() && !parkIfHeld(id)) {
        firstWritten.putIfAbsent(id, ++writes);
        boolean first = neverWritten.remove(id);
        if (first) {
          firstAttemptOnStream.add(id);
        } else {
          firstAttemptOnStream.remove(id);
        }
        return request.get().toBuilder().setFirstAttempt(first).build();
      }
    }
    return null;
  }

  /** The conversation a pending send goes to (its target), in which its order with other sends matters. */
  Optional<String> laneOf(String clientMessageId) {
    return outbox.get(clientMessageId).map(this::laneOf);
  }

  private String laneOf(SendRequest request) {
    if (request.hasConversationId()) {
      return request.getConversationId();
    }
    String to = request.getToUserId();
    if (ownUserId.isEmpty() || ownUserId.equals(to)) {
      return "@" + to;
    }
    // The server's id of a 1:1 conversation: "dm:" and the two user ids in order.
    return ownUserId.compareTo(to) < 0 ? "dm:" + ownUserId + ":" + to : "dm:" + to + ":" + ownUserId;
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
    answered(id);
    outbox.remove(id);
    onStream.remove(id);
    neverWritten.remove(id);
    firstAttemptOnStream.remove(id);
    CompletableFuture<SendAck> future = futures.remove(id);
    return pending || future != null ? new Acked(future) : null;
  }

  /**
   * The server refused the send with a reason that promises it stored nothing of it (see
   * {@code first_attempt} in session.proto): if that write was its first attempt, so is its resend, which
   * spares the router a look-up of its client id.
   */
  void refusedUnstored(String clientMessageId) {
    if (firstAttemptOnStream.remove(clientMessageId) && outbox.get(clientMessageId).isPresent()) {
      neverWritten.add(clientMessageId);
    }
  }

  /** The server refused the send for good: removes it; returns the caller's future or null. */
  CompletableFuture<SendAck> rejected(String clientMessageId) {
    answered(clientMessageId);
    outbox.remove(clientMessageId);
    onStream.remove(clientMessageId);
    neverWritten.remove(clientMessageId);
    firstAttemptOnStream.remove(clientMessageId);
    return futures.remove(clientMessageId);
  }

  /** A send answered for good no longer holds its lane. */
  private void answered(String clientMessageId) {
    laneOf(clientMessageId).filter(lane -> clientMessageId.equals(heldBy.get(lane))).ifPresent(this::release);
    firstWritten.remove(clientMessageId);
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

  /**
   * Where each pending send stands, lane by lane, for a diagnosis of sends that get no answer: the lane's
   * holder, what is parked behind it, and per send whether it is queued, written on this stream, and never
   * written at all.
   */
  String describe() {
    Map<String, List<String>> lanes = new java.util.LinkedHashMap<>();
    for (SendRequest request : outbox.pending()) {
      String id = request.getClientMessageId();
      String flags = (toWrite.contains(id) ? "q" : "") + (onStream.contains(id) ? "s" : "")
          + (neverWritten.contains(id) ? "n" : "") + (firstWritten.containsKey(id) ? "#" + firstWritten.get(id) : "");
      lanes.computeIfAbsent(laneOf(request), l -> new java.util.ArrayList<>()).add(id + "[" + flags + "]");
    }
    StringBuilder out = new StringBuilder();
    lanes.forEach((lane, ids) -> out.append(lane).append(": held by ").append(heldBy.get(lane))
        .append(", parked ").append(parked.getOrDefault(lane, Set.of())).append(", pending ").append(ids)
        .append('\n'));
    return out.toString();
  }

  /** Result of {@link #acknowledged}: the caller's future, null when the send came from an earlier run. */
  record Acked(CompletableFuture<SendAck> future) {}
}
