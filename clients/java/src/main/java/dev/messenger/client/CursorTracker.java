package dev.messenger.client;

import dev.messenger.api.v1.Cursor;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The device's position in each conversation, kept twice: {@code accepted} counts deliveries handed to the
 * listener (it decides duplicates and gaps, and is what a reconnect resumes from, since accepted messages
 * are still processed in this process), {@code committed} counts deliveries the listener finished (it is
 * what gets persisted and acknowledged). Event-loop only, except {@link #committedSnapshot()}.
 */
final class CursorTracker {
  /** What to do with a delivery. */
  enum Verdict {
    /** seq == cursor + 1: hand it to the listener. */
    NEXT,
    /** seq <= cursor: already have it. */
    DUPLICATE,
    /** seq > cursor + 1: messages are missing. */
    GAP
  }

  private final Map<String, Long> accepted = new HashMap<>();
  private final Map<String, Long> committed = new ConcurrentHashMap<>();
  /** The server's sync time of the last catch-up completed with everything before it committed. */
  private volatile long syncedAtMs;
  private boolean dirty;

  CursorTracker(Cursor initial) {
    accepted.putAll(initial.getSeqsMap());
    committed.putAll(initial.getSeqsMap());
    syncedAtMs = initial.getSyncedAtMs();
  }

  /**
   * A catch-up completed as of the server's {@code syncedAtMs}, and every delivery before it is committed:
   * the next reconnect needs the server to look only at what changed since.
   */
  void synced(long syncedAtMs) {
    if (syncedAtMs > this.syncedAtMs) {
      this.syncedAtMs = syncedAtMs;
      dirty = true;
    }
  }

  /**
   * Decides about a delivery. Until the device's first sync completes, a conversation it has nothing of may
   * begin at any seq: the first sync brings only the latest page of each (older ones through History).
   */
  Verdict accept(String conversationId, long seq) {
    if (syncedAtMs == 0 && !accepted.containsKey(conversationId)) {
      accepted.put(conversationId, seq);
      return Verdict.NEXT;
    }
    long current = accepted.getOrDefault(conversationId, 0L);
    if (seq <= current) {
      return Verdict.DUPLICATE;
    }
    if (seq > current + 1) {
      return Verdict.GAP;
    }
    accepted.put(conversationId, seq);
    return Verdict.NEXT;
  }

  /** Accepts a delivery past a gap that is not one: the first entry a group member may see. */
  void acceptStart(String conversationId, long seq) {
    accepted.merge(conversationId, seq, Math::max);
  }

  /** The highest accepted seq of a conversation, 0 when none. */
  long accepted(String conversationId) {
    return accepted.getOrDefault(conversationId, 0L);
  }

  /** The listener finished the delivery {@code seq} of the conversation. */
  void commit(String conversationId, long seq) {
    committed.merge(conversationId, seq, Math::max);
    dirty = true;
  }

  /** The cursor to send in Hello. */
  Cursor resumeCursor() {
    return Cursor.newBuilder().putAllSeqs(accepted).setSyncedAtMs(syncedAtMs).build();
  }

  /** If commits happened since the last call, the committed cursor to persist; otherwise null. */
  Cursor takeDirty() {
    if (!dirty) {
      return null;
    }
    dirty = false;
    return committedSnapshot();
  }

  /** The committed cursor; safe from any thread. */
  Cursor committedSnapshot() {
    return Cursor.newBuilder().putAllSeqs(committed).setSyncedAtMs(syncedAtMs).build();
  }
}
