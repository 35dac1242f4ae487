package dev.messenger.common.limits;

import static java.util.Objects.requireNonNull;

import dev.messenger.common.errors.ApiErrors;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a user id): {@code ratePerSecond} sustained, bursts up to {@code burst}. A refusal
 * is RESOURCE_EXHAUSTED with the limiter's reason and a RetryInfo delay until the next token. Memory follows
 * the keys used lately: a bucket that has filled up again is the same as none, and such buckets are dropped
 * by {@link #sweep()}, which {@link #check} also runs itself at most every {@link #SWEEP_EVERY}.
 */
public final class KeyedRateLimiter {
  /** How often a check sweeps full buckets away (a bucket refills within {@code burst / rate} seconds). */
  public static final Duration SWEEP_EVERY = Duration.ofSeconds(10);

  private final String reason;
  private final String what;
  private final int ratePerSecond;
  private final double ratePerNano;
  private final double burst;
  private final LongSupplier nanoClock;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep;
  private final LongAdder refused = new LongAdder();

  /**
   * @param reason the ErrorInfo reason of a refusal, e.g. {@code CONNECT_RATE_LIMITED}
   * @param what what is counted, for the message: "streams opened", "history reads"
   * @param nanoClock {@code System::nanoTime}, or a fake one in tests
   */
  public KeyedRateLimiter(String reason, String what, int ratePerSecond, int burst, LongSupplier nanoClock) {
    if (ratePerSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("rate and burst must be at least 1: " + ratePerSecond + ", " + burst);
    }
    this.reason = requireNonNull(reason, "reason");
    this.what = requireNonNull(what, "what");
    this.ratePerSecond = ratePerSecond;
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.nanoClock = requireNonNull(nanoClock, "nanoClock");
    this.lastSweep = new AtomicLong(nanoClock.getAsLong());
  }

  /** Bursts of twice the rate, as the send limit has. */
  public static KeyedRateLimiter withDoubleBurst(String reason, String what, int ratePerSecond,
      LongSupplier nanoClock) {
    return new KeyedRateLimiter(reason, what, ratePerSecond, 2 * ratePerSecond, nanoClock);
  }

  public int ratePerSecond() {
    return ratePerSecond;
  }

  /** The ErrorInfo reason of a refusal, which also names the limit in metrics. */
  public String reason() {
    return reason;
  }

  /** Tokens asked for and not given since start. */
  public long refused() {
    return refused.sum();
  }

  /** Takes a token of {@code key}: {@link Duration#ZERO} when there was one, else how long until one. */
  public Duration acquire(String key) {
    long now = nanoClock.getAsLong();
    sweepIfDue(now);
    while (true) {
      Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
      synchronized (bucket) {
        if (bucket.swept) {
          continue; // swept between the lookup and the lock: a token taken from it would be forgotten
        }
        refill(bucket, Math.max(now, bucket.updatedNanos));
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1;
          return Duration.ZERO;
        }
        refused.increment();
        return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / ratePerNano));
      }
    }
  }

  /** Takes a token of {@code key} or throws RESOURCE_EXHAUSTED with this limiter's reason and RetryInfo. */
  public void check(String key) {
    Duration wait = acquire(key);
    if (!wait.isZero()) {
      throw ApiErrors.withRetryAfter(Status.Code.RESOURCE_EXHAUSTED, reason, "more than " + ratePerSecond + " "
          + what + " a second (bursts of " + (long) burst + "); retry after the retry delay",
          Duration.ofMillis((wait.toNanos() + 999_999) / 1_000_000)); // whole milliseconds, rounded up
    }
  }

  /**
   * Charges {@code key} a token for work that is done whatever the rate (e.g. a merged write that was admitted
   * earlier): without a token the bucket goes into debt, down to minus a burst, and later checks wait longer.
   */
  public void charge(String key) {
    long now = nanoClock.getAsLong();
    sweepIfDue(now);
    while (true) {
      Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
      synchronized (bucket) {
        if (bucket.swept) {
          continue;
        }
        refill(bucket, Math.max(now, bucket.updatedNanos));
        bucket.tokens = Math.max(-burst, bucket.tokens - 1);
        return;
      }
    }
  }

  /** Drops the buckets that are full again; returns how many. */
  public int sweep() {
    long now = nanoClock.getAsLong();
    lastSweep.set(now);
    int removed = 0;
    for (var entry : buckets.entrySet()) {
      Bucket bucket = entry.getValue();
      synchronized (bucket) {
        refill(bucket, Math.max(now, bucket.updatedNanos));
        if (bucket.tokens >= burst && buckets.remove(entry.getKey(), bucket)) {
          bucket.swept = true;
          removed++;
        }
      }
    }
    return removed;
  }

  /** Keys with a bucket now. */
  public int tracked() {
    return buckets.size();
  }

  private void sweepIfDue(long now) {
    long last = lastSweep.get();
    if (now - last >= SWEEP_EVERY.toNanos() && lastSweep.compareAndSet(last, now)) {
      sweep();
    }
  }

  private void refill(Bucket bucket, long now) {
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedNanos) * ratePerNano);
    bucket.updatedNanos = now;
  }

  private static final class Bucket {
    double tokens;
    long updatedNanos;
    boolean swept;

    Bucket(double tokens, long updatedNanos) {
      this.tokens = tokens;
      this.updatedNanos = updatedNanos;
    }
  }
}
