package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Reconnect backoff: the n-th consecutive retry waits a uniformly random time in
 * [0, min(max, initial * multiplier^n)] ("full jitter"); the count restarts after a connection that stayed
 * up for at least {@code stableAfter}.
 */
public record BackoffSettings(Duration initial, Duration max, double multiplier, Duration stableAfter) {
  /** 200 ms growing by 2 up to 10 s, reset after 10 s of stable connection. */
  public static final BackoffSettings DEFAULT =
      new BackoffSettings(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, Duration.ofSeconds(10));

  public BackoffSettings {
    requireNonNull(initial, "initial");
    requireNonNull(max, "max");
    requireNonNull(stableAfter, "stableAfter");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("multiplier must be >= 1");
    }
  }
}
