package dev.messenger.router;

/** What a router does when shard ownership changes. Called from the ownership thread, one call at a time. */
interface ShardListener {
  /** This router now owns the shard: repair what a previous owner left, then start serving it. */
  void onAcquired(int shard);

  /** Another router should own the shard: stop taking submissions and finish what is in flight. */
  void onReleasing(int shard);

  /** This router lost the shard without releasing it (its lease expired): stop at once. */
  void onLost(int shard);
}
