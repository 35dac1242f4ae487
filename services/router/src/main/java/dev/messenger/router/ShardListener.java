package dev.messenger.router;

import java.util.concurrent.CompletionStage;

/**
 * What a router does when shard ownership changes. Called from the ownership thread, one call at a time; the
 * claims that {@link #onAcquired} starts may run at the same time for different shards.
 */
interface ShardListener {
  /**
   * This router now owns the shard: claim it (raise its epoch), start serving it and repair what a previous
   * owner left; the stage completes once it serves, exceptionally if the claim failed.
   */
  CompletionStage<Void> onAcquired(int shard);

  /** Another router should own the shard: stop taking submissions and finish what is in flight. */
  void onReleasing(int shard);

  /** This router lost the shard without releasing it (its lease expired): stop at once. */
  void onLost(int shard);
}
