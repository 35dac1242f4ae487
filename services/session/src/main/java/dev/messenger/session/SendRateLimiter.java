package dev.messenger.session;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Per-user token buckets on this session server: {@code ratePerSecond} sends per second, bursts up to twice
 * that. A user whose devices sit on several session servers gets this rate on each.
 */
final class SendRateLimiter {
  private final double ratePerNano;
  private final double burst;
  private final LongSupplier nanoClock;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  SendRateLimiter(int ratePerSecond, LongSupplier nanoClock) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = 2.0 * ratePerSecond;
    this.nanoClock = nanoClock;
  }

  boolean tryAcquire(String userId) {
    Bucket bucket = buckets.computeIfAbsent(userId, u -> new Bucket(burst, nanoClock.getAsLong()));
    synchronized (bucket) {
      long now = nanoClock.getAsLong();
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedNanos) * ratePerNano);
      bucket.updatedNanos = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return true;
      }
      return false;
    }
  }

  /** Drops the bucket of a user with no stream left here (a full bucket is the same as none). */
  void forget(String userId) {
    buckets.remove(userId);
  }

  private static final class Bucket {
    double tokens;
    long updatedNanos;

    Bucket(double tokens, long updatedNanos) {
      this.tokens = tokens;
      this.updatedNanos = updatedNanos;
    }
  }
}
