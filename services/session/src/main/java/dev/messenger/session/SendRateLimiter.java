package dev.messenger.session;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Per-user token buckets: {@code ratePerSecond} sends per second sustained, bursts up to twice that (so a
 * flood measured over its first seconds gets more than the rate: 2r + r·t in t seconds). The limit is the
 * user's, not this server's: every message the user commits reaches each server holding one of the user's
 * streams (the sender is a member), and one admitted elsewhere costs a token here too ({@link #committed}),
 * so devices spread over N servers share one rate instead of getting N. Such charges may take a bucket into
 * debt, down to minus a burst. Buckets that have filled up again are swept away, so memory follows the
 * users who sent lately, not every user ever seen.
 */
final class SendRateLimiter {
  private final int ratePerSecond;
  private final double ratePerNano;
  private final double burst;
  private final LongSupplier nanoClock;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  SendRateLimiter(int ratePerSecond, LongSupplier nanoClock) {
    this.ratePerSecond = ratePerSecond;
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = 2.0 * ratePerSecond;
    this.nanoClock = nanoClock;
  }

  int ratePerSecond() {
    return ratePerSecond;
  }

  /** Takes a token for the user's send: {@link Duration#ZERO} when there was one, else how long until one. */
  Duration acquire(String userId, String clientMessageId) {
    Bucket bucket = bucket(userId);
    synchronized (bucket) {
      if (bucket.swept) {
        return acquire(userId, clientMessageId); // swept before the lock: its token would be forgotten
      }
      refill(bucket, nanoClock.getAsLong());
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        bucket.admittedHere(clientMessageId);
        return Duration.ZERO;
      }
      return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / ratePerNano));
    }
  }

  /**
   * A message the user committed, seen on the user's subject: free if this server admitted it (its token is
   * taken), else a token, owed if there is none.
   */
  void committed(String userId, String clientMessageId) {
    Bucket bucket = bucket(userId);
    synchronized (bucket) {
      if (bucket.swept) {
        committed(userId, clientMessageId);
        return;
      }
      if (bucket.forgetAdmitted(clientMessageId)) {
        return;
      }
      refill(bucket, nanoClock.getAsLong());
      bucket.tokens = Math.max(-burst, bucket.tokens - 1);
    }
  }

  private Bucket bucket(String userId) {
    return buckets.computeIfAbsent(userId, u -> new Bucket(burst, nanoClock.getAsLong()));
  }

  /** Drops the buckets that are full again (a full bucket is the same as none); returns how many. */
  int sweep() {
    long now = nanoClock.getAsLong();
    int removed = 0;
    for (var entry : buckets.entrySet()) {
      Bucket bucket = entry.getValue();
      synchronized (bucket) {
        refill(bucket, now);
        if (bucket.tokens >= burst && buckets.remove(entry.getKey(), bucket)) {
          bucket.swept = true;
          removed++;
        }
      }
    }
    return removed;
  }

  /** Users with a bucket now. */
  int tracked() {
    return buckets.size();
  }

  private void refill(Bucket bucket, long now) {
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedNanos) * ratePerNano);
    bucket.updatedNanos = now;
  }

  private static final class Bucket {
    /** Admitted sends whose commit has not been seen yet; it is seen within milliseconds, or never. */
    private static final int ADMITTED_KEPT = 256;

    double tokens;
    long updatedNanos;
    boolean swept;
    private ArrayDeque<String> admitted;

    Bucket(double tokens, long updatedNanos) {
      this.tokens = tokens;
      this.updatedNanos = updatedNanos;
    }

    void admittedHere(String clientMessageId) {
      if (admitted == null) {
        admitted = new ArrayDeque<>(4);
      } else if (admitted.size() == ADMITTED_KEPT) {
        admitted.removeFirst();
      }
      admitted.addLast(clientMessageId);
    }

    boolean forgetAdmitted(String clientMessageId) {
      return admitted != null && admitted.removeFirstOccurrence(clientMessageId);
    }
  }
}
