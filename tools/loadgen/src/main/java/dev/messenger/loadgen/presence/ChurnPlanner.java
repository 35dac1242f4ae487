package dev.messenger.loadgen.presence;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Decides which churning user moves at each arrival of the schedule. Each user alternates online and
 * offline; a user may move only when idle and held in its state for the minimum (online long enough to be
 * shown online, offline long enough to be shown offline), and the one that moves is drawn at random among
 * those, so holds are random and at least the minimum. A drawn disconnect is a blip with the given
 * probability: the user comes back after a hold shorter than the grace period, which watchers must never
 * see. Time is passed in (nanoseconds), so the logic is tested without clocks. Thread-safe.
 */
final class ChurnPlanner {
  /** What to do at one arrival. */
  sealed interface Step permits Connect, Disconnect, Skip {}

  /** Connect the user (it has been offline for at least the minimum hold, or was never online). */
  record Connect(int churner) implements Step {}

  /** Disconnect the user; a blip when {@code blipNanos > 0}: reconnect that long after the close. */
  record Disconnect(int churner, long blipNanos) implements Step {
    boolean blip() {
      return blipNanos > 0;
    }
  }

  /** No user may move now: the arrival is skipped (too few churning users for the rate and holds). */
  record Skip() implements Step {}

  private static final Skip SKIP = new Skip();

  private enum Phase { OFFLINE, ONLINE, BUSY, RETIRED }

  private final long minOnlineNanos;
  private final long minOfflineNanos;
  private final double blipFraction;
  private final long blipNanos;
  private final SplittableRandom random;
  private final Phase[] phase;
  private final long[] since;
  private final int[] candidates;
  private long skipped;

  /**
   * @param blipNanos the longest blip; each blip lasts between half of it and all of it
   */
  ChurnPlanner(int churners, long minOnlineNanos, long minOfflineNanos, double blipFraction, long blipNanos,
      long seed) {
    if (churners < 1 || minOnlineNanos < 0 || minOfflineNanos < 0 || blipFraction < 0 || blipFraction > 1
        || (blipFraction > 0 && blipNanos < 2)) {
      throw new IllegalArgumentException("invalid churn plan");
    }
    this.minOnlineNanos = minOnlineNanos;
    this.minOfflineNanos = minOfflineNanos;
    this.blipFraction = blipFraction;
    this.blipNanos = blipNanos;
    this.random = new SplittableRandom(seed);
    this.phase = new Phase[churners];
    this.since = new long[churners];
    this.candidates = new int[churners];
    Arrays.fill(phase, Phase.OFFLINE);
    // Never seen: free to connect at once.
    Arrays.fill(since, Long.MIN_VALUE / 2);
  }

  /** The step for an arrival at {@code now}; the user it names is busy until told how it went. */
  synchronized Step next(long now) {
    int count = 0;
    for (int i = 0; i < phase.length; i++) {
      if ((phase[i] == Phase.OFFLINE && now - since[i] >= minOfflineNanos)
          || (phase[i] == Phase.ONLINE && now - since[i] >= minOnlineNanos)) {
        candidates[count++] = i;
      }
    }
    if (count == 0) {
      skipped++;
      return SKIP;
    }
    int churner = candidates[random.nextInt(count)];
    Phase was = phase[churner];
    phase[churner] = Phase.BUSY;
    if (was == Phase.OFFLINE) {
      return new Connect(churner);
    }
    boolean blip = blipFraction > 0 && random.nextDouble() < blipFraction;
    return new Disconnect(churner, blip ? blipNanos / 2 + random.nextLong(blipNanos - blipNanos / 2 + 1) : 0);
  }

  /** The user's stream is up since {@code at} (after a connect or a blip's reconnect). */
  synchronized void online(int churner, long at) {
    if (phase[churner] != Phase.RETIRED) {
      phase[churner] = Phase.ONLINE;
      since[churner] = at;
    }
  }

  /** The user went offline for a long hold at {@code at}. */
  synchronized void offline(int churner, long at) {
    if (phase[churner] != Phase.RETIRED) {
      phase[churner] = Phase.OFFLINE;
      since[churner] = at;
    }
  }

  /** The user failed and moves no more. */
  synchronized void retire(int churner) {
    phase[churner] = Phase.RETIRED;
  }

  /** Users online and idle now. */
  synchronized int online() {
    int online = 0;
    for (Phase p : phase) {
      if (p == Phase.ONLINE) {
        online++;
      }
    }
    return online;
  }

  /** Arrivals at which no user was free to move. */
  synchronized long skipped() {
    return skipped;
  }
}
