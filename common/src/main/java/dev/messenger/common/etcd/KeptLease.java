package dev.messenger.common.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An etcd lease this process renews itself: one keep-alive request every quarter of the TTL, sent from a
 * thread of its own. jetcd's keep-alive stream is not used: it renews from the client's event loop and, once
 * one answer comes a TTL late, stops for good with nothing but {@code onCompleted}; a busy session server
 * lost its registration every 15-25 s under overload that way, and presence took all its users offline each
 * time. A renewal counts from when its request was sent, so {@link #sinceLastRenewal} never flatters the lease.
 * When etcd answers that the lease is gone, {@code onLost} runs once (on another thread) and renewals stop.
 */
public final class KeptLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeptLease.class);
  private static final ScheduledExecutorService RENEWER = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "etcd-lease-renewer");
    thread.setDaemon(true);
    return thread;
  });
  private static final Duration SHORTEST_PERIOD = Duration.ofMillis(100);

  private final Client etcd;
  private final long id;
  private final Duration ttl;
  private final Runnable onLost;
  private final AtomicBoolean renewing = new AtomicBoolean();
  private final AtomicBoolean lost = new AtomicBoolean();
  private final ScheduledFuture<?> renewals;
  private volatile long renewedAtNanos;
  private volatile boolean warned;

  private KeptLease(Client etcd, long id, Duration ttl, long grantSentNanos, Runnable onLost) {
    this.etcd = etcd;
    this.id = id;
    this.ttl = ttl;
    this.onLost = onLost;
    this.renewedAtNanos = grantSentNanos;
    long period = Math.max(SHORTEST_PERIOD.toMillis(), ttl.toMillis() / 4);
    this.renewals = RENEWER.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  /** Grants a lease of {@code ttl} (whole seconds, at least one) and starts renewing it. Blocking. */
  public static KeptLease grant(Client etcd, Duration ttl, Runnable onLost)
      throws InterruptedException, ExecutionException, TimeoutException {
    long sent = System.nanoTime();
    long id = etcd.getLeaseClient().grant(Math.max(1, ttl.toSeconds())).get(10, TimeUnit.SECONDS).getID();
    return new KeptLease(etcd, id, ttl, sent, onLost);
  }

  public long id() {
    return id;
  }

  /** Time since the request of the last confirmed renewal (or the grant) was sent, by the monotonic clock. */
  public Duration sinceLastRenewal() {
    return Duration.ofNanos(System.nanoTime() - renewedAtNanos);
  }

  /** True once etcd said the lease no longer exists. */
  public boolean lost() {
    return lost.get();
  }

  private void renew() {
    if (lost.get() || !renewing.compareAndSet(false, true)) {
      return;
    }
    long sent = System.nanoTime();
    CompletableFuture<LeaseKeepAliveResponse> answer;
    try {
      answer = etcd.getLeaseClient().keepAliveOnce(id);
    } catch (RuntimeException closed) {
      renewing.set(false);
      return;
    }
    answer.orTimeout(ttl.toMillis(), TimeUnit.MILLISECONDS).whenComplete((response, error) -> {
      renewing.set(false);
      if (error == null && response.getTTL() <= 0) {
        markLost(); // etcd answers a renewal of an expired lease with no time left
      } else if (error == null) {
        renewedAtNanos = Math.max(renewedAtNanos, sent);
        warned = false;
      } else if (isNotFound(error)) {
        markLost();
      } else if (sinceLastRenewal().compareTo(ttl.dividedBy(2)) > 0 && !warned) {
        warned = true;
        log.warn("etcd lease {} not renewed for {} ms (TTL {} ms): {}", id, sinceLastRenewal().toMillis(),
            ttl.toMillis(), error.toString());
      } else {
        log.debug("renewal of lease {} failed: {}", id, error.toString());
      }
    });
  }

  private void markLost() {
    if (lost.compareAndSet(false, true)) {
      renewals.cancel(false);
      log.warn("etcd lease {} expired ({} ms after its last renewal was sent)", id, sinceLastRenewal().toMillis());
      CompletableFuture.runAsync(onLost);
    }
  }

  private static boolean isNotFound(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.NOT_FOUND;
  }

  /** Stops renewing without revoking, as a dying process would: keys under the lease go when the TTL runs out. */
  public void abandon() {
    renewals.cancel(false);
  }

  /** Stops renewing and revokes the lease, which deletes its keys at once. */
  @Override
  public void close() {
    renewals.cancel(false);
    if (lost.get()) {
      return;
    }
    try {
      etcd.getLeaseClient().revoke(id).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not revoke lease {}; it expires by itself: {}", id, e.toString());
    }
  }
}
