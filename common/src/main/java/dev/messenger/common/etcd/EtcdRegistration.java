package dev.messenger.common.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A key that exists while this process lives: put under a {@link KeptLease}, gone when the lease is revoked
 * on close or expires after the process dies (at most the TTL later).
 */
public final class EtcdRegistration implements RenewedLease, AutoCloseable {
  private final Client client;
  private final ByteSequence key;
  private final KeptLease lease;

  private EtcdRegistration(Client client, ByteSequence key, KeptLease lease) {
    this.client = client;
    this.key = key;
    this.lease = lease;
  }

  /** Time since etcd last confirmed the lease, counted from when that renewal was sent. */
  @Override
  public Duration sinceLastRenewal() {
    return lease.sinceLastRenewal();
  }

  /** True once etcd said the lease expired: the key is gone and only a new registration brings it back. */
  @Override
  public boolean lost() {
    return lease.lost();
  }

  /** Puts {@code key = value} under a new lease of {@code ttl} and keeps that lease alive. */
  public static EtcdRegistration register(Client client, String key, String value, Duration ttl) {
    return register(client, key, value, ttl, () -> { });
  }

  /** The same; {@code onLost} runs once (on another thread) if etcd reports the lease expired. */
  public static EtcdRegistration register(Client client, String key, String value, Duration ttl, Runnable onLost) {
    KeptLease lease = null;
    try {
      lease = KeptLease.grant(client, ttl, onLost);
      ByteSequence keyBytes = bytes(key);
      client.getKVClient()
          .put(keyBytes, bytes(value), PutOption.builder().withLeaseId(lease.id()).build())
          .get(10, TimeUnit.SECONDS);
      return new EtcdRegistration(client, keyBytes, lease);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering " + key, e);
    } catch (ExecutionException | TimeoutException e) {
      if (lease != null) {
        lease.abandon();
      }
      throw new IllegalStateException("cannot register " + key + " in etcd", e);
    }
  }

  @Override
  public long leaseId() {
    return lease.id();
  }

  /** Replaces the value, keeping the lease. */
  public void update(String value) {
    client.getKVClient().put(key, bytes(value), PutOption.builder().withLeaseId(lease.id()).build());
  }

  /** Stops the renewals and revokes the lease, which deletes the key at once. */
  @Override
  public void close() {
    lease.close();
  }

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
