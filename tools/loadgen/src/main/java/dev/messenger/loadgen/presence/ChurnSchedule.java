package dev.messenger.loadgen.presence;

import static java.util.Objects.requireNonNull;

import java.util.SplittableRandom;

/**
 * The open-loop timetable of the scenario: when each transition is due, as nanoseconds after the start,
 * fixed in advance by the rate and the arrival process alone, never by how fast the deployment answers.
 * Not thread-safe.
 */
final class ChurnSchedule {
  private final double ratePerSecond;
  private final Arrivals arrivals;
  private final SplittableRandom random;
  private long last;

  ChurnSchedule(double ratePerSecond, Arrivals arrivals, long seed) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("the rate must be a positive number");
    }
    this.ratePerSecond = ratePerSecond;
    this.arrivals = requireNonNull(arrivals, "arrivals");
    this.random = new SplittableRandom(seed);
    // A random phase for the first fixed arrival, so that runs do not all start with a transition at 0.
    this.last = arrivals == Arrivals.FIXED
        ? -Math.round(random.nextDouble() * 1e9 / ratePerSecond)
        : 0;
  }

  /** The due time of the next transition, nanoseconds after the start; never decreasing. */
  long next() {
    last += arrivals.gapNanos(ratePerSecond, random);
    return Math.max(0, last);
  }
}
