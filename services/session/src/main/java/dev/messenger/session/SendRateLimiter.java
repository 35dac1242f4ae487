package dev.messenger.session;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Per-user token buckets on this session server: {@code ratePerSecond} sends per second sustained, bursts
 * up to twice that (so a flood measured over its first seconds gets more than the rate: 2r + r·t in t
 * seconds). A user whose devices sit on several session servers gets this rate on each. Buckets that have
 * filled up again are swept away, so memory follows the users who sent lately, not every user ever seen.
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
  Duration acquire(String userId) {
    Bucket bucket = buckets.computeIfAbsent(userId, u -> new Bucket(burst, nanoClock.getAsLong()));
    synchronized (bucket) {
      refill(bucket, nanoClock.getAsLong());
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return Duration.ZERO;
      }
      return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / ratePerNano));
    }
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
    double tokens;
    long updatedNanos;

    Bucket(double tokens, long updatedNanos) {
      this.tokens = tokens;
      this.updatedNanos = updatedNanos;
    }
  }
}
