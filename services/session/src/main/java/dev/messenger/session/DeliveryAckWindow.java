package dev.messenger.session;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;

/**
 * One stream's delivery acks, at most one write per conversation and window: the first ack after a quiet
 * window is recorded at once (a delivered receipt is not held back), later ones within the window are merged
 * and the highest is recorded when it ends, whether or not the stream is still open then. Acks are
 * cumulative, so merging loses nothing; a device that acknowledges every message of a busy group costs one
 * write per window instead of one per message.
 */
final class DeliveryAckWindow {
  static final Duration WINDOW = Duration.ofMillis(500);

  private final ScheduledExecutorService scheduler;
  private final ObjLongConsumer<String> recordLater;
  /** conversation → highest ack merged into the open window (0: the window is open with nothing merged). */
  private final Map<String, Long> open = new HashMap<>();

  DeliveryAckWindow(ScheduledExecutorService scheduler, ObjLongConsumer<String> recordLater) {
    this.scheduler = scheduler;
    this.recordLater = recordLater;
  }

  /** True when the ack is to be recorded now; false when it was merged into the open window's write. */
  boolean admit(String conversationId, long upToSeq) {
    synchronized (this) {
      Long merged = open.get(conversationId);
      if (merged != null) {
        open.put(conversationId, Math.max(merged, upToSeq));
        return false;
      }
      open.put(conversationId, 0L);
    }
    closeLater(conversationId);
    return true;
  }

  synchronized boolean isOpen(String conversationId) {
    return open.containsKey(conversationId);
  }

  private void closeLater(String conversationId) {
    scheduler.schedule(() -> close(conversationId), WINDOW.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void close(String conversationId) {
    long merged;
    synchronized (this) {
      merged = open.getOrDefault(conversationId, 0L);
      if (merged == 0) {
        open.remove(conversationId);
        return;
      }
      open.put(conversationId, 0L);
    }
    recordLater.accept(conversationId, merged);
    closeLater(conversationId);
  }
}
