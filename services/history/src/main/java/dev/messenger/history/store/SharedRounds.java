package dev.messenger.history.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Small idempotent row writes of many callers (one projection step of many conversations, delivery cursors
 * of many devices) sent in shared rounds: rows go at once while fewer than {@code maxRounds} rounds are in
 * flight; otherwise they wait for a round to end and go with everything that waited, packed together
 * ({@link RowBatches}). An idle store sees no added wait; a busy one gets fewer, fuller requests, since a small
 * write's cost in the store is mostly the request. A failed round fails every write in it, and each caller
 * redoes its own; with several rounds in flight a slow one does not hold every caller up. Writes nobody waits
 * for (receipts) may also wait a short {@code linger} for company before a round starts: at a steady rate a
 * round rarely finds another one busy, so without it each such write is a request of its own.
 */
public final class SharedRounds {
  private final int maxRounds;
  private final Function<List<RowBatches.Rows>, CompletionStage<Void>> send;
  private final Executor lingering;
  private final List<Waiting> waiting = new ArrayList<>();
  private int inFlight;
  private boolean gathering;

  private record Waiting(List<RowBatches.Rows> rows, CompletableFuture<Void> done) {}

  /** {@code send} writes rows of any partitions, packed, and completes when all are written. */
  SharedRounds(int maxRounds, Function<List<RowBatches.Rows>, CompletionStage<Void>> send) {
    this(maxRounds, Duration.ZERO, send);
  }

  /** As above, and a round that could start at once first gathers rows for {@code linger}. */
  public SharedRounds(int maxRounds, Duration linger, Function<List<RowBatches.Rows>, CompletionStage<Void>> send) {
    if (maxRounds < 1) {
      throw new IllegalArgumentException("at least one round in flight");
    }
    this.maxRounds = maxRounds;
    this.send = send;
    this.lingering = linger.isZero() ? null
        : CompletableFuture.delayedExecutor(linger.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Completes when the round carrying these rows is written; fails when it failed. */
  public CompletionStage<Void> write(List<RowBatches.Rows> rows) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    List<Waiting> round = null;
    boolean gather = false;
    synchronized (this) {
      waiting.add(new Waiting(rows, done));
      if (inFlight < maxRounds && !gathering) {
        inFlight++;
        if (lingering == null) {
          round = takeWaiting();
        } else {
          gathering = true;
          gather = true;
        }
      }
    }
    if (round != null) {
      start(round);
    } else if (gather) {
      lingering.execute(this::startGathered);
    }
    return done;
  }

  private void startGathered() {
    List<Waiting> round;
    synchronized (this) {
      gathering = false;
      if (waiting.isEmpty()) { // a round that ended meanwhile took them
        inFlight--;
        return;
      }
      round = takeWaiting();
    }
    start(round);
  }

  private void start(List<Waiting> round) {
    List<RowBatches.Rows> rows = new ArrayList<>();
    round.forEach(w -> rows.addAll(w.rows()));
    CompletionStage<Void> written;
    try {
      written = send.apply(rows);
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    written.whenComplete((ok, error) -> {
      for (Waiting w : round) {
        if (error == null) {
          w.done().complete(null);
        } else {
          w.done().completeExceptionally(error);
        }
      }
      List<Waiting> next;
      synchronized (this) {
        if (waiting.isEmpty()) {
          inFlight--;
          return;
        }
        next = takeWaiting();
      }
      start(next);
    });
  }

  private List<Waiting> takeWaiting() {
    List<Waiting> taken = new ArrayList<>(waiting);
    waiting.clear();
    return taken;
  }
}
