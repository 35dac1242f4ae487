package dev.messenger.router;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Sheds a share of new sends while a queue stands in front of the commit: when every send answered during
 * an interval took longer than the target, the share grows by a step each interval; once an interval has a
 * send answered within the target (or none answered), it shrinks by the same step. A burst that drains within
 * an interval is not shed (its first sends are fast), as in CoDel. A concurrency limit alone lets a queue grow
 * until every latency is seconds when the whole machine slows down, because the latency it follows slows too.
 * Thread-safe.
 */
final class StandingQueueShedder {
  static final Duration TARGET = Duration.ofMillis(30);
  static final Duration INTERVAL = Duration.ofMillis(100);
  static final double STEP = 0.1;
  static final double MAX_SHARE = 0.9;

  private final long targetNanos;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final DoubleSupplier random;
  private long intervalStart;
  private long fastestInInterval = Long.MAX_VALUE;
  private double share;

  StandingQueueShedder(Duration target, Duration interval, LongSupplier nanoClock, DoubleSupplier random) {
    this.targetNanos = target.toNanos();
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
    this.random = random;
    this.intervalStart = nanoClock.getAsLong();
  }

  static StandingQueueShedder systemDefault() {
    return new StandingQueueShedder(TARGET, INTERVAL, System::nanoTime,
        () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }

  /** True when this send is to be refused now. */
  synchronized boolean shed() {
    roll();
    return share > 0 && random.getAsDouble() < share;
  }

  /** An admitted send was answered after {@code latencyNanos}. */
  synchronized void answered(long latencyNanos) {
    roll();
    fastestInInterval = Math.min(fastestInInterval, latencyNanos);
  }

  /** The share of new sends refused now, 0 to {@link #MAX_SHARE}. */
  synchronized double share() {
    roll();
    return share;
  }

  private void roll() {
    long now = nanoClock.getAsLong();
    long elapsed = now - intervalStart;
    if (elapsed < intervalNanos) {
      return;
    }
    boolean standing = fastestInInterval != Long.MAX_VALUE && fastestInInterval > targetNanos;
    share = standing ? Math.min(MAX_SHARE, share + STEP) : Math.max(0, share - STEP);
    // Intervals that passed with nothing answered count as calm: the shed share must not stick when idle.
    long calmIntervals = elapsed / intervalNanos - 1;
    if (calmIntervals > 0) {
      share = Math.max(0, share - STEP * calmIntervals);
    }
    intervalStart = now;
    fastestInInterval = Long.MAX_VALUE;
  }
}
