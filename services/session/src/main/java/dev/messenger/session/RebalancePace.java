package dev.messenger.session;

import java.time.Duration;
import java.util.List;

/**
 * How many streams a session server hands over this round, given its own count and the counts the other
 * live servers published (each a second or two old). Three things keep it from moving devices for nothing:
 * <ul>
 *   <li>a dead band: {@link StreamMoves#REBALANCE_DEAD_BAND} streams or 5% of the share, whichever is more;
 *   <li>devices handed over count as the others' already until the others' published total has risen by as
 *       many (or {@link #IN_TRANSIT} passed since the last hand-over): they are reconnecting, which takes
 *       seconds on a server that just started, or counted there but not yet published; without them the next
 *       rounds would see the same excess again and overshoot;
 *   <li>a round in which its own count, or all servers' count together, moved by more than the dead band for
 *       reasons other than its hand-overs (devices arriving in a ramp, here or on another server; a drain)
 *       moves nothing: the others' published counts are as stale as the change is fast, and every server
 *       would hand devices to the one that only looks empty.
 * </ul>
 * And when devices it handed over come back (the emptier server registered before it could welcome them, as
 * a restarting one does), it stops for {@link #HOLD_AFTER_RETURN} instead of bouncing them again every round.
 * Half the excess a round, at most {@code perRound}. Not thread-safe: one round at a time.
 */
final class RebalancePace {
  static final Duration IN_TRANSIT = Duration.ofSeconds(30);
  static final Duration HOLD_AFTER_RETURN = Duration.ofSeconds(10);

  private final int perRound;
  private long inTransit;
  private long lastMoveAt;
  private long holdUntil;
  private long previousOthers = -1;
  private int previousOwn = -1;
  private long previousTotal = -1;
  private int movedSincePrevious;

  RebalancePace(int perRound) {
    this.perRound = perRound;
  }

  /** How many to hand over now; call {@link #moved} with how many were actually closed. */
  int toMove(long nowNanos, int own, List<Integer> others) {
    long othersTotal = 0;
    for (int count : others) {
      othersTotal += count;
    }
    if (previousOthers >= 0 && othersTotal > previousOthers) {
      inTransit = Math.max(0, inTransit - (othersTotal - previousOthers));
    }
    previousOthers = othersTotal;
    if (inTransit > 0 && nowNanos - lastMoveAt > IN_TRANSIT.toNanos()) {
      inTransit = 0; // they went elsewhere, or gave up for now
    }
    long returned = previousOwn < 0 ? 0 : own - (previousOwn - movedSincePrevious);
    if (inTransit > 0 && returned > deadBand(own)) {
      inTransit = Math.max(0, inTransit - returned);
      holdUntil = nowNanos + HOLD_AFTER_RETURN.toNanos();
    }
    long total = own + othersTotal + inTransit; // hand-overs leave it as it is
    boolean steady = previousOwn >= 0
        && Math.abs(own - (previousOwn - movedSincePrevious)) <= deadBand(own)
        && Math.abs(total - previousTotal) <= deadBand((int) Math.min(Integer.MAX_VALUE, total));
    previousOwn = own;
    previousTotal = total;
    movedSincePrevious = 0;
    if (!steady || nowNanos - holdUntil < 0 || others.isEmpty() || perRound < 1) {
      return 0;
    }
    long share = total / (others.size() + 1);
    long excess = own - share;
    if (excess <= deadBand((int) share)) {
      return 0;
    }
    return (int) Math.min(perRound, Math.max(1, excess / 2));
  }

  void moved(long nowNanos, int count) {
    if (count > 0) {
      inTransit += count;
      lastMoveAt = nowNanos;
      movedSincePrevious += count;
    }
  }

  private static int deadBand(int share) {
    return (int) StreamMoves.deadBand(share);
  }
}
