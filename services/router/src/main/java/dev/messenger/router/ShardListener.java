package dev.messenger.router;

import java.util.concurrent.CompletionStage;

/**
 * What a router does when shard ownership changes. Called from the ownership thread, one call at a time; the
 * claims that {@link #claim} starts may run at the same time for different shards.
 */
interface ShardListener {
  /**
   * Raises the shard's epoch for this router and holds it; completes with the epoch, exceptionally if not.
   * {@code hold} tells, at any later moment, whether the shard's key in etcd is certainly still this router's.
   */
  CompletionStage<Long> claim(int shard, ShardKeyHold hold);

  /** The claimed shard is this router's now: start serving it, and repair what a previous owner left. */
  void onAcquired(int shard);

  /** Another router should own the shard: stop taking submissions and finish what is in flight. */
  void onReleasing(int shard);

  /** This router lost the shard without releasing it (its lease expired, or a claim came too late): stop at once. */
  void onLost(int shard);
}
