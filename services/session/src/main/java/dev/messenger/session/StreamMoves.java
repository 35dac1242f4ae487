package dev.messenger.session;

import java.time.Duration;

/**
 * How fast a session server hands its devices to others: all of them when it stops ({@code drainRate} a second
 * within {@code drainGrace}), and its excess over the average while it runs ({@code rebalanceRate} a second;
 * 0 turns rebalancing off).
 */
public record StreamMoves(Duration drainGrace, int drainRate, int rebalanceRate) {
  static final Duration DEFAULT_DRAIN_GRACE = Duration.ofSeconds(5);
  /** Reconnects per second that the servers left behind absorb easily, catch-up included. */
  static final int DEFAULT_DRAIN_RATE = 1000;
  /** Slower than a drain: nothing forces the move, so it should not be felt. */
  static final int DEFAULT_REBALANCE_RATE = 100;
  /** A server this many streams or fewer above its share (or 5% of it, if more) hands none over. */
  public static final int REBALANCE_DEAD_BAND = 10;

  public StreamMoves {
    if (drainGrace == null || drainGrace.isNegative() || drainRate < 1 || rebalanceRate < 0) {
      throw new IllegalArgumentException("drain grace must be >= 0, drain rate >= 1 and rebalance rate >= 0");
    }
  }

  /** The dead band around a share of {@code share} streams: what rebalancing and discovery both ignore. */
  static long deadBand(long share) {
    return Math.max(REBALANCE_DEAD_BAND, share / 20);
  }

  static StreamMoves defaults() {
    return new StreamMoves(DEFAULT_DRAIN_GRACE, DEFAULT_DRAIN_RATE, DEFAULT_REBALANCE_RATE);
  }
}
