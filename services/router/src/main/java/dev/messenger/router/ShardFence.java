package dev.messenger.router;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confirms commits against the fencing epochs of the shards this router holds. A log write counts once a read
 * of the shard's epoch, started after the write completed, returns the router's own; one read confirms every
 * write of the shard that completed before it started, whatever their conversations. A read that finds
 * another epoch means another router took the shard: everything waiting is refused and the shard is given up.
 *
 * <p>Confirmed by lease (opt-in): a write also counts when this router's key of the shard in etcd is certainly
 * still its own at the moment the write has completed ({@link ShardKeyHold}), because an epoch is raised only
 * by a claim that completed while its claimant certainly held the key: no other router can have raised it
 * since, and a later owner reads the log only after raising it.
 */
final class ShardFence {
  private static final Logger log = LoggerFactory.getLogger(ShardFence.class);
  private static final Duration RETRY = Duration.ofMillis(50);

  private final CommitLog commitLog;
  private final Executor executor;
  private final IntConsumer onFenced;
  private final ConfirmationCounter counter;
  private final boolean confirmByLease;
  private final Clock clock = Clock.systemUTC();
  private final Map<Integer, Held> held = new ConcurrentHashMap<>();

  /** Counts confirmations by how they were given. */
  interface ConfirmationCounter {
    ConfirmationCounter NONE = byLease -> { };

    void confirmed(boolean byLease);
  }

  ShardFence(CommitLog commitLog, Executor executor, IntConsumer onFenced) {
    this(commitLog, executor, onFenced, ConfirmationCounter.NONE, false);
  }

  /** {@code confirmByLease}: let commits skip the epoch read while the shard's key is certainly held. */
  ShardFence(CommitLog commitLog, Executor executor, IntConsumer onFenced, ConfirmationCounter counter,
      boolean confirmByLease) {
    this.commitLog = commitLog;
    this.executor = executor;
    this.onFenced = onFenced;
    this.counter = counter;
    this.confirmByLease = confirmByLease;
  }

  /** Raises the shard's epoch for {@code owner} and holds it, with no knowledge of its key (tests). */
  CompletableFuture<Long> claim(int shard, String owner) {
    return claim(shard, owner, () -> true);
  }

  /**
   * Raises the shard's epoch for {@code owner} and holds it; completes with the epoch. The claim counts only if
   * the shard's key was still certainly the claimant's when the raise completed: a raise that lands after its
   * claimant's key could have expired (it was paused or cut off meanwhile) might sit above the epoch of the
   * key's next owner, which then could not tell, without reading, that its commits are overwritten. Such a
   * claim fails and is not served; the next owner's reads, or its next claim, go past it.
   */
  CompletableFuture<Long> claim(int shard, String owner, ShardKeyHold hold) {
    return commitLog.claimShard(shard, owner).toCompletableFuture().thenApply(epoch -> {
      if (!hold.certain()) {
        throw new IllegalStateException("the key of shard " + shard + " may have expired while its epoch "
            + epoch + " was raised; not serving it under that epoch");
      }
      Held previous = held.put(shard, new Held(shard, epoch, clock.millis(), hold));
      if (previous != null) {
        previous.refuseAll();
      }
      return epoch;
    });
  }

  /** Stops holding the shard; confirmations waiting for it are refused. */
  void release(int shard) {
    Held previous = held.remove(shard);
    if (previous != null) {
      previous.refuseAll();
    }
  }

  /** The epoch this router holds for the shard, if any. */
  OptionalLong epoch(int shard) {
    Held h = held.get(shard);
    return h == null ? OptionalLong.empty() : OptionalLong.of(h.epoch);
  }

  /** When (this router's wall clock, ms) the claim of the epoch held for the shard completed, if one is held. */
  OptionalLong heldSinceMillis(int shard) {
    Held h = held.get(shard);
    return h == null ? OptionalLong.empty() : OptionalLong.of(h.sinceMillis);
  }

  /**
   * Completes with true once a read of the shard's epoch that started after this call finds {@code epoch},
   * with false if it finds another or the shard is no longer held. Call it after the write completed.
   */
  CompletableFuture<Boolean> confirm(int shard, long epoch) {
    Held h = held.get(shard);
    if (h == null || h.epoch != epoch) {
      return CompletableFuture.completedFuture(false);
    }
    if (confirmByLease && h.hold.certain()) {
      counter.confirmed(true);
      return CompletableFuture.completedFuture(true);
    }
    return h.confirm();
  }

  private final class Held {
    final int shard;
    final long epoch;
    final long sinceMillis;
    final ShardKeyHold hold;
    private List<CompletableFuture<Boolean>> waiting = new ArrayList<>();
    private boolean checking;

    Held(int shard, long epoch, long sinceMillis, ShardKeyHold hold) {
      this.shard = shard;
      this.epoch = epoch;
      this.sinceMillis = sinceMillis;
      this.hold = hold;
    }

    CompletableFuture<Boolean> confirm() {
      CompletableFuture<Boolean> result = new CompletableFuture<>();
      synchronized (this) {
        waiting.add(result);
        if (checking) {
          return result; // the read in flight may have started before the write completed: wait for the next
        }
        checking = true;
      }
      check();
      return result;
    }

    private void check() {
      List<CompletableFuture<Boolean>> batch;
      synchronized (this) {
        batch = waiting;
        waiting = new ArrayList<>();
      }
      commitLog.shardEpoch(shard).whenCompleteAsync((current, error) -> {
        if (error != null) {
          // Unknown: nothing is confirmed or refused; ask again.
          log.debug("epoch read of shard {} failed, retrying: {}", shard, error.toString());
          synchronized (this) {
            batch.addAll(waiting);
            waiting = batch;
          }
          CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS, executor).execute(this::check);
          return;
        }
        boolean mine = current == epoch && held.get(shard) == this;
        if (mine) {
          batch.forEach(f -> counter.confirmed(false));
        }
        batch.forEach(f -> f.complete(mine));
        if (current != epoch) {
          log.atWarn().addKeyValue("shard", shard).addKeyValue("epoch", current)
              .log("shard {} was taken over (epoch {} > {}): giving it up", shard, current, epoch);
          release(shard);
          onFenced.accept(shard);
          return;
        }
        boolean again;
        synchronized (this) {
          again = !waiting.isEmpty();
          checking = again;
        }
        if (again) {
          check();
        }
      }, executor);
    }

    void refuseAll() {
      List<CompletableFuture<Boolean>> refused;
      synchronized (this) {
        refused = waiting;
        waiting = new ArrayList<>();
      }
      refused.forEach(f -> f.complete(false));
    }
  }
}
