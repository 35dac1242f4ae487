package dev.messenger.presence.cluster;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An etcd lease kept alive while this instance lives: every key put under it disappears when it is revoked
 * ({@link #close()}) or, if the process dies, at most its TTL later.
 */
final class InstanceLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InstanceLease.class);

  private final Client etcd;
  private final long id;
  private final CloseableClient keepAlive;
  private volatile long lastRenewalNanos = System.nanoTime();

  private InstanceLease(Client etcd, long id) {
    this.etcd = etcd;
    this.id = id;
    this.keepAlive = etcd.getLeaseClient().keepAlive(id, observer());
  }

  /** Grants a lease of {@code ttl} and starts keeping it alive. Blocking. */
  static InstanceLease grant(Client etcd, Duration ttl) throws InterruptedException, ExecutionException,
      TimeoutException {
    long id = etcd.getLeaseClient().grant(Math.max(1, ttl.toSeconds())).get(5, TimeUnit.SECONDS).getID();
    return new InstanceLease(etcd, id);
  }

  long id() {
    return id;
  }

  /** Time since etcd last confirmed the lease, by this JVM's monotonic clock. */
  Duration sinceLastRenewal() {
    return Duration.ofNanos(System.nanoTime() - lastRenewalNanos);
  }

  /** Stops the keep-alive and revokes the lease: its keys go at once. */
  @Override
  public void close() {
    keepAlive.close();
    try {
      etcd.getLeaseClient().revoke(id).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not revoke lease {}; it expires by itself: {}", id, e.toString());
    }
  }

  /** Stops the keep-alive without revoking, as a dying process would: the keys go when the TTL runs out. */
  void abandon() {
    keepAlive.close();
  }

  private StreamObserver<LeaseKeepAliveResponse> observer() {
    return new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveResponse response) {
        if (response.getTTL() > 0) {
          lastRenewalNanos = System.nanoTime();
        }
      }

      @Override
      public void onError(Throwable t) {
        log.warn("keep-alive of lease {} failed: {}", id, t.toString());
      }

      @Override
      public void onCompleted() {}
    };
  }
}
