package dev.messenger.common.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key that exists while this process lives: put under a lease that is kept alive, gone when the lease is
 * revoked on close or expires after the process dies (at most the TTL later).
 */
public final class EtcdRegistration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EtcdRegistration.class);

  private final Client client;
  private final ByteSequence key;
  private final long leaseId;
  private final CloseableClient keepAlive;
  private final RenewalTracker renewals;

  private EtcdRegistration(
      Client client, ByteSequence key, long leaseId, CloseableClient keepAlive, RenewalTracker renewals) {
    this.client = client;
    this.key = key;
    this.leaseId = leaseId;
    this.keepAlive = keepAlive;
    this.renewals = renewals;
  }

  /** Time since etcd last confirmed the lease (grant or keep-alive), by this JVM's monotonic clock. */
  public Duration sinceLastRenewal() {
    return Duration.ofNanos(System.nanoTime() - renewals.lastRenewalNanos);
  }

  private static final class RenewalTracker {
    volatile long lastRenewalNanos = System.nanoTime();
  }

  /** Puts {@code key = value} under a new lease of {@code ttl} and keeps that lease alive. */
  public static EtcdRegistration register(Client client, String key, String value, Duration ttl) {
    try {
      RenewalTracker renewals = new RenewalTracker();
      long leaseId = client.getLeaseClient().grant(ttl.toSeconds()).get(10, TimeUnit.SECONDS).getID();
      ByteSequence keyBytes = bytes(key);
      client
          .getKVClient()
          .put(keyBytes, bytes(value), PutOption.builder().withLeaseId(leaseId).build())
          .get(10, TimeUnit.SECONDS);
      CloseableClient keepAlive =
          client
              .getLeaseClient()
              .keepAlive(
                  leaseId,
                  new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse response) {
                      if (response.getTTL() > 0) {
                        renewals.lastRenewalNanos = System.nanoTime();
                      }
                    }

                    @Override
                    public void onError(Throwable t) {
                      log.warn("lease keep-alive for {} failed: {}", key, t.toString());
                    }

                    @Override
                    public void onCompleted() {}
                  });
      return new EtcdRegistration(client, keyBytes, leaseId, keepAlive, renewals);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering " + key, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot register " + key + " in etcd", e);
    }
  }

  public long leaseId() {
    return leaseId;
  }

  /** Replaces the value, keeping the lease. */
  public void update(String value) {
    client.getKVClient().put(key, bytes(value), PutOption.builder().withLeaseId(leaseId).build());
  }

  /** Stops the keep-alive and revokes the lease, which deletes the key at once. */
  @Override
  public void close() {
    keepAlive.close();
    try {
      client.getLeaseClient().revoke(leaseId).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not revoke lease of {}; it expires by itself: {}", key, e.toString());
    }
  }

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
