package dev.messenger.router;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the store's projection marks true for what this router holds: a conversation is marked in the
 * current hour before its first commit of that hour, and, at each new hour, every conversation still
 * behind is marked again. A new owner of the shard reads the marks of the last two hours and so finds
 * every conversation that may have unprojected commits, without scanning anything else.
 */
final class ProjectionMarks {
  private static final long HOUR_MS = 3_600_000L;

  private final CommitLog commitLog;
  private final Clock clock;
  private final Map<String, Long> markedHour = new ConcurrentHashMap<>();

  ProjectionMarks(CommitLog commitLog, Clock clock) {
    this.commitLog = commitLog;
    this.clock = clock;
  }

  /** The current hour, in hours since the Unix epoch. */
  long hour() {
    return clock.millis() / HOUR_MS;
  }

  /** Completes once the conversation is marked in the current hour (at once if it already is). */
  CompletionStage<Void> ensureMarked(int shard, String conversationId) {
    long hour = hour();
    Long marked = markedHour.get(conversationId);
    if (marked != null && marked == hour) {
      return CompletableFuture.completedFuture(null);
    }
    return commitLog.markForProjection(shard, hour, conversationId)
        .thenRun(() -> markedHour.merge(conversationId, hour, Math::max));
  }

  void forget(String conversationId) {
    markedHour.remove(conversationId);
  }
}
