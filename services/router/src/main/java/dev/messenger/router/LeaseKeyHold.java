package dev.messenger.router;

import dev.messenger.common.etcd.RenewedLease;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A shard key held under this router's lease. etcd keeps a lease alive for its TTL from when it received the
 * last renewal, which is after the renewal was sent: so while the last confirmed renewal was sent less than
 * half a TTL ago (by the monotonic clock, which runs on while the process is stopped), the key cannot have
 * expired, and only a release by this router deletes it. Half the TTL leaves the other half for the two
 * clocks' rates to differ. A key that lives under another lease (an earlier one of this router, left from
 * before it registered again) is never certain: it expires with that lease.
 */
final class LeaseKeyHold implements ShardKeyHold {
  private final RenewedLease lease;
  private final Duration limit;
  private final BooleanSupplier inUse;

  private LeaseKeyHold(RenewedLease lease, Duration ttl, BooleanSupplier inUse) {
    this.lease = lease;
    this.limit = ttl.dividedBy(2);
    this.inUse = inUse;
  }

  /**
   * The hold of a key that lives under {@code keyLease}, while {@code lease} (of {@code ttl}) is this router's
   * and {@code inUse} says it still is.
   */
  static ShardKeyHold of(RenewedLease lease, long keyLease, Duration ttl, BooleanSupplier inUse) {
    return lease.leaseId() == keyLease ? new LeaseKeyHold(lease, ttl, inUse) : ShardKeyHold.NEVER;
  }

  @Override
  public boolean certain() {
    return inUse.getAsBoolean() && !lease.lost() && lease.sinceLastRenewal().compareTo(limit) < 0;
  }
}
