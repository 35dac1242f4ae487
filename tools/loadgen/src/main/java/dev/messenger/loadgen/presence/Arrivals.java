package dev.messenger.loadgen.presence;

import java.util.Locale;
import java.util.SplittableRandom;

/** How the schedule spaces its transitions: evenly, or as a Poisson process with the same mean rate. */
public enum Arrivals {
  FIXED,
  POISSON;

  /** The gap before the next arrival, in nanoseconds, at {@code ratePerSecond} arrivals per second. */
  long gapNanos(double ratePerSecond, SplittableRandom random) {
    double mean = 1e9 / ratePerSecond;
    if (this == FIXED) {
      return Math.round(mean);
    }
    // Inverse transform of the exponential distribution; 1 - u is in (0, 1], so the log is finite.
    return Math.round(-Math.log(1.0 - random.nextDouble()) * mean);
  }

  /** Lower-case name, as on the command line and in the report. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
