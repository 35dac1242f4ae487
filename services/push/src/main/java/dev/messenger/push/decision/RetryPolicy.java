package dev.messenger.push.decision;

import java.time.Duration;
import java.util.Optional;

/**
 * When to try a failed send again: exponential backoff from {@code initial}, doubled per attempt up to
 * {@code max}, never sooner than the provider's Retry-After; after {@code maxAttempts} attempts, give up
 * (dead letter).
 */
public record RetryPolicy(Duration initial, Duration max, int maxAttempts) {
  /** The longest Retry-After honoured; a provider asking for more is retried after this. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  public RetryPolicy {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || maxAttempts < 1) {
      throw new IllegalArgumentException("invalid retry policy");
    }
  }

  /** 1 s doubling up to 5 min, 5 attempts. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), 5);
  }

  /** Whether attempt number {@code attempt} (1-based) that just failed may be followed by another. */
  public boolean mayRetry(int attempt) {
    return attempt < maxAttempts;
  }

  /** The wait before the attempt after {@code failedAttempt} (1-based). */
  public Duration delayAfter(int failedAttempt, Optional<Duration> retryAfter) {
    int doublings = Math.min(Math.max(failedAttempt - 1, 0), 30);
    Duration backoff = initial.multipliedBy(1L << doublings);
    if (backoff.compareTo(max) > 0) {
      backoff = max;
    }
    if (retryAfter.isPresent()) {
      Duration asked = retryAfter.get().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter.get();
      if (asked.compareTo(backoff) > 0) {
        return asked;
      }
    }
    return backoff;
  }
}
