package dev.messenger.loadgen.plan;

import java.util.List;
import java.util.TreeSet;

/**
 * The rates to measure the cluster at to check a predicted held rate, chosen before the cluster runs. The
 * cluster's held rate lies between its highest step held and the next step, and the check decides only when
 * that whole bracket lies inside the rates the prediction is within the tolerance of, or wholly outside them
 * ({@link HeldRateCheck}). So the steps start and end on that band's edges (the whole rates just inside it),
 * lie at most a tenth apart across it, and go two steps of a tenth beyond each edge; before them come two low
 * steps, since a fresh cluster's first steps cost more CPU (session 32's second start missed at 120 and 130
 * msg/s, then held 150). On a noisy day one start held a fifth less than the next (session 36: 50 and 78 msg/s
 * against 70.6 and 72.3 predicted).
 */
public final class ClusterSteps {
  /** The low steps, as shares of the predicted rate. */
  static final List<Double> LOW_SHARES = List.of(0.3, 0.5);
  /** The most one step may lie over the step below it, and the ratio of the steps beyond the band. */
  static final double STEP_RATIO = 1.1;
  /** Steps measured beyond each edge of the band, so that a miss outside it is decided too. */
  static final int STEPS_BEYOND_BAND = 2;

  private ClusterSteps() {}

  /**
   * Whole rates from 1 msg/s up, in increasing order, without repeats: the low steps; {@link #STEPS_BEYOND_BAND}
   * steps below the band's lowest whole rate ({@code predicted / (1 + tolerance)} rounded up), each over
   * {@link #STEP_RATIO} the next; from that rate to the band's highest ({@code predicted / (1 - tolerance)}
   * rounded down) in equal ratios of at most {@link #STEP_RATIO}; and as many steps above it.
   */
  public static List<Long> around(double predicted, double tolerance) {
    if (!(predicted > 0) || Double.isInfinite(predicted)) {
      throw new IllegalArgumentException("a predicted rate must be a positive number, not " + predicted);
    }
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new IllegalArgumentException("the tolerance must lie between 0 and 1, not " + tolerance);
    }
    TreeSet<Long> rates = new TreeSet<>();
    LOW_SHARES.forEach(share -> rates.add(whole(predicted * share)));
    double lowest = Math.max(1, Math.ceil(predicted / (1 + tolerance)));
    double highest = Math.max(lowest, Math.floor(predicted / (1 - tolerance)));
    int gaps = (int) Math.ceil(Math.log(highest / lowest) / Math.log(STEP_RATIO) - 1e-9);
    for (int i = 0; i <= gaps; i++) {
      rates.add(whole(lowest * Math.pow(highest / lowest, gaps == 0 ? 0 : (double) i / gaps)));
    }
    for (int i = 1; i <= STEPS_BEYOND_BAND; i++) {
      rates.add(whole(lowest / Math.pow(STEP_RATIO, i)));
      rates.add(whole(highest * Math.pow(STEP_RATIO, i)));
    }
    return List.copyOf(rates);
  }

  private static long whole(double rate) {
    return Math.max(1, Math.round(rate));
  }
}
