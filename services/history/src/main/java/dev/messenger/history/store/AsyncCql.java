package dev.messenger.history.store;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Non-blocking helpers over the driver's async API: paging and bounded parallelism. No callback blocks. */
public final class AsyncCql {
  /** Requests one fan-out or read keeps in flight at most, well below the driver's per-connection limit. */
  public static final int MAX_IN_FLIGHT = 64;

  private AsyncCql() {}

  /** Every row of a result, fetching further pages asynchronously. */
  public static CompletionStage<List<Row>> allRows(CompletionStage<AsyncResultSet> first) {
    return first.thenCompose(rs -> collect(rs, new ArrayList<>()));
  }

  private static CompletionStage<List<Row>> collect(AsyncResultSet rs, List<Row> into) {
    for (Row row : rs.currentPage()) {
      into.add(row);
    }
    if (!rs.hasMorePages()) {
      return CompletableFuture.completedFuture(into);
    }
    return rs.fetchNextPage().thenCompose(next -> collect(next, into));
  }

  /**
   * Runs the tasks with at most {@code maxInFlight} running at once; completes with their results in task
   * order, or with the first failure (tasks not yet started are then not started).
   */
  static <T> CompletionStage<List<T>> inParallel(List<Supplier<CompletionStage<T>>> tasks, int maxInFlight) {
    CompletableFuture<List<T>> done = new CompletableFuture<>();
    if (tasks.isEmpty()) {
      done.complete(List.of());
      return done;
    }
    Object[] results = new Object[tasks.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger remaining = new AtomicInteger(tasks.size());
    Runnable[] lane = new Runnable[1];
    lane[0] =
        () -> {
          int i = next.getAndIncrement();
          if (i >= tasks.size() || done.isDone()) {
            return;
          }
          CompletionStage<T> stage;
          try {
            stage = tasks.get(i).get();
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
          }
          stage.whenComplete(
              (result, error) -> {
                if (error != null) {
                  done.completeExceptionally(error);
                  return;
                }
                results[i] = result;
                if (remaining.decrementAndGet() == 0) {
                  done.complete(unchecked(results));
                } else {
                  lane[0].run();
                }
              });
        };
    for (int l = 0; l < Math.min(maxInFlight, tasks.size()); l++) {
      lane[0].run();
    }
    return done;
  }

  /** Like {@link #inParallel} for tasks whose results do not matter. */
  public static CompletionStage<Void> allOf(List<Supplier<CompletionStage<?>>> tasks, int maxInFlight) {
    List<Supplier<CompletionStage<Object>>> typed = new ArrayList<>(tasks.size());
    for (Supplier<CompletionStage<?>> task : tasks) {
      typed.add(() -> task.get().thenApply(r -> (Object) r));
    }
    return inParallel(typed, maxInFlight).thenApply(r -> null);
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> unchecked(Object[] results) {
    return (List<T>) Arrays.asList(results);
  }
}
