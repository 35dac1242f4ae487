package dev.messenger.common.etcd;

import java.time.Duration;

/** An etcd lease this process keeps renewing, as far as it knows. */
public interface RenewedLease {
  long leaseId();

  /** True once etcd said the lease no longer exists. */
  boolean lost();

  /** Time since the request of the last confirmed renewal (or the grant) was sent, by the monotonic clock. */
  Duration sinceLastRenewal();
}
