package dev.messenger.router;

/**
 * Whether this router certainly still holds a shard's key in etcd: the lease the key lives under was renewed
 * so recently (counted from when the renewal was sent) that it cannot have expired, so no other router can
 * have taken the shard and raised its epoch. While that is certain a completed log write needs no epoch read
 * to count as committed.
 */
@FunctionalInterface
interface ShardKeyHold {
  /** Never certain: every commit is confirmed by reading the epoch. */
  ShardKeyHold NEVER = () -> false;

  boolean certain();
}
