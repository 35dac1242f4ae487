package dev.messenger.presence;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs asynchronous tasks one after the other per key (a user), without a thread per key: a task starts
 * when the previous task of its key has completed, so one user's changes reach watchers in the order
 * decided. Holds only keys with work in flight.
 */
final class SerialQueues {
  private static final Logger log = LoggerFactory.getLogger(SerialQueues.class);

  private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

  /** Runs {@code task} after every task submitted earlier for {@code key}; a failure is logged and ends there. */
  CompletableFuture<Void> submit(String key, Supplier<? extends CompletionStage<?>> task) {
    CompletableFuture<Void> next;
    synchronized (this) {
      CompletableFuture<Void> previous = tails.get(key);
      next = previous == null ? run(task) : previous.thenCompose(v -> run(task));
      tails.put(key, next);
    }
    next.whenComplete((v, e) -> {
      synchronized (this) {
        tails.remove(key, next);
      }
    });
    return next;
  }

  /** Keys with work in flight. */
  synchronized int pending() {
    return tails.size();
  }

  private static CompletableFuture<Void> run(Supplier<? extends CompletionStage<?>> task) {
    try {
      return task.get().toCompletableFuture().handle((result, error) -> {
        if (error != null) {
          log.warn("presence task failed: {}", error.toString());
        }
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("presence task failed: {}", e.toString());
      return CompletableFuture.completedFuture(null);
    }
  }
}
