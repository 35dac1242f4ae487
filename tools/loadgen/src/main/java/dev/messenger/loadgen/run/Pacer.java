package dev.messenger.loadgen.run;

import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop send schedule. Every user's sends are placed on the clock in advance (evenly spaced with a
 * random phase, or Poisson); this thread fires each one when its time comes, never waiting for replies.
 * If it falls behind, it fires late sends at once with their original scheduled time, so the delay counts
 * in their latency: that is what avoids coordinated omission.
 */
final class Pacer {
  /** Fires one send of {@code user} scheduled at {@code scheduledNanos} (relative to the epoch). */
  interface SendAction {
    void fire(SimUser user, long scheduledNanos);
  }

  /** Waits about {@code nanos}; {@link LockSupport#parkNanos} in production. */
  interface Parker {
    void park(long nanos);
  }

  private static final long MAX_PARK_NANOS = 1_000_000;

  private final List<SimUser> users;
  private final double ratePerUser;
  private final Arrival arrival;
  private final SplittableRandom random;
  private final Ticker ticker;
  private final Parker parker;
  private volatile boolean stopped;
  private long maxLagNanos;
  /** How late each send was fired, in microseconds: the tool's own share of every latency it reports. */
  private final org.HdrHistogram.Recorder lag = new org.HdrHistogram.Recorder(3);

  Pacer(List<SimUser> users, double ratePerUser, Arrival arrival, long seed, Ticker ticker, Parker parker) {
    this.users = users;
    this.ratePerUser = ratePerUser;
    this.arrival = arrival;
    this.random = new SplittableRandom(seed);
    this.ticker = ticker;
    this.parker = parker;
  }

  /**
   * Fires every send scheduled in [0, endNanos) after {@code epochNanos}, in time order; returns when the
   * last one is fired or {@link #stop()} was called.
   */
  void run(long epochNanos, long endNanos, SendAction action) {
    if (ratePerUser <= 0) {
      return;
    }
    double meanGap = 1e9 / ratePerUser;
    PriorityQueue<Slot> queue = new PriorityQueue<>(Math.max(1, users.size()));
    for (SimUser user : users) {
      if (user.canSend()) {
        long first = (long) (arrival == Arrival.UNIFORM ? random.nextDouble() * meanGap : gap(meanGap));
        if (first < endNanos) {
          queue.add(new Slot(first, user));
        }
      }
    }
    while (!queue.isEmpty() && !stopped) {
      Slot next = queue.peek();
      long now = ticker.nanoTime() - epochNanos;
      if (next.at > now) {
        parker.park(Math.min(next.at - now, MAX_PARK_NANOS));
        continue;
      }
      queue.poll();
      maxLagNanos = Math.max(maxLagNanos, now - next.at);
      lag.recordValue(Math.max(0, (now - next.at) / 1_000));
      action.fire(next.user, next.at);
      next.at += arrival == Arrival.UNIFORM ? (long) meanGap : (long) gap(meanGap);
      if (next.at < endNanos) {
        queue.add(next);
      }
    }
  }

  /** How late the latest-fired send was, in nanoseconds (how far the pacer itself fell behind). */
  long maxLagNanos() {
    return maxLagNanos;
  }

  /** Lateness of the fired sends, in microseconds, since the last call. */
  org.HdrHistogram.Histogram lagSinceLastCall() {
    return lag.getIntervalHistogram();
  }

  SplittableRandom random() {
    return random;
  }

  void stop() {
    stopped = true;
  }

  private double gap(double mean) {
    return -Math.log(1.0 - random.nextDouble()) * mean;
  }

  private static final class Slot implements Comparable<Slot> {
    long at;
    final SimUser user;

    Slot(long at, SimUser user) {
      this.at = at;
      this.user = user;
    }

    @Override
    public int compareTo(Slot other) {
      return Long.compare(at, other.at);
    }
  }
}
