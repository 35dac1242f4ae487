package dev.messenger.session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds the answer to a group change until the change is projected (members' rows, conversation lists), so
 * that what the caller does next (GetGroup, a presence watch of the new members) sees it. Bounded: after
 * {@code limit} it answers anyway, the change being committed already.
 */
final class ProjectionWait {
  private static final long FIRST_POLL_MS = 5;
  private static final long MAX_POLL_MS = 100;

  private final SessionStore store;
  private final ScheduledExecutorService scheduler;
  private final Duration limit;

  ProjectionWait(SessionStore store, ScheduledExecutorService scheduler, Duration limit) {
    this.store = store;
    this.scheduler = scheduler;
    this.limit = limit;
  }

  /** Completes (never exceptionally) once the conversation is projected up to {@code seq}, or at the limit. */
  CompletableFuture<Void> until(String conversationId, long seq) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    poll(conversationId, seq, System.nanoTime() + limit.toNanos(), FIRST_POLL_MS, done);
    return done;
  }

  private void poll(String conversationId, long seq, long deadline, long delayMs, CompletableFuture<Void> done) {
    store.projectedSeq(conversationId).whenComplete((projected, error) -> {
      if ((error == null && projected >= seq) || System.nanoTime() >= deadline) {
        done.complete(null);
        return;
      }
      scheduler.schedule(() -> poll(conversationId, seq, deadline, Math.min(MAX_POLL_MS, delayMs * 2), done),
          delayMs, TimeUnit.MILLISECONDS);
    });
  }
}
