package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * Exponential backoff with full jitter. Not thread-safe: used on the client's event loop only.
 *
 * <p>{@link #connected()} marks the start of a connection; the next {@link #nextDelay()} starts over from
 * the initial ceiling when that connection lasted at least {@link BackoffSettings#stableAfter()}.
 */
final class Backoff {
  private final BackoffSettings settings;
  private final Clock clock;
  private final Random random;
  private int failures;
  private Instant connectedAt;

  Backoff(BackoffSettings settings, Clock clock, Random random) {
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
  }

  /** The delay before the next attempt: uniform in [0, ceiling], the ceiling growing with each call. */
  Duration nextDelay() {
    if (connectedAt != null) {
      if (Duration.between(connectedAt, clock.instant()).compareTo(settings.stableAfter()) >= 0) {
        failures = 0;
      }
      connectedAt = null;
    }
    long ceilingNanos = ceiling(failures).toNanos();
    failures = Math.min(failures + 1, 64);
    return Duration.ofNanos((long) (random.nextDouble() * (ceilingNanos + 1)));
  }

  /** The upper bound of the delay after {@code failures} consecutive failures. */
  Duration ceiling(int failures) {
    double nanos = settings.initial().toNanos() * Math.pow(settings.multiplier(), failures);
    long max = settings.max().toNanos();
    return Duration.ofNanos(nanos >= max ? max : (long) nanos);
  }

  /** A connection was established now. */
  void connected() {
    connectedAt = clock.instant();
  }

  /** Forgets all failures. */
  void reset() {
    failures = 0;
    connectedAt = null;
  }

  int failures() {
    return failures;
  }
}
