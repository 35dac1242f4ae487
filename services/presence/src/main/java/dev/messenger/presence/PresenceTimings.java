package dev.messenger.presence;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When presence changes become visible.
 *
 * @param grace how long a user's last stream must have been gone before they are shown offline
 * @param onlineDelay how long a user must have had a live stream before they are shown online
 * @param warmup after taking over a partition, how long to rebuild state from session servers' refreshes
 *     before showing anyone offline; at least one reporter refresh interval
 */
record PresenceTimings(Duration grace, Duration onlineDelay, Duration warmup) {
  PresenceTimings {
    requireNonNull(grace, "grace");
    requireNonNull(onlineDelay, "onlineDelay");
    requireNonNull(warmup, "warmup");
    if (grace.isNegative() || onlineDelay.isNegative() || warmup.isNegative()) {
      throw new IllegalArgumentException("presence timings must not be negative");
    }
  }
}
