package dev.messenger.loadgen.plan;

import java.util.List;
import java.util.TreeSet;

/**
 * The rates to measure the cluster at to check a predicted held rate, chosen before the cluster runs. The
 * cluster's held rate lies between its highest step held and the next step, and the check decides only when
 * that whole bracket lies inside the rates the prediction is within the tolerance of, or wholly outside them
 * ({@link HeldRateCheck}). So the steps are a tenth apart across that band and two steps beyond each edge,
 * after two low steps: a fresh cluster's first steps cost more CPU (session 32's second start missed at 120
 * and 130 msg/s, then held 150), and on a noisy day a start held a fifth less than the next (session 36: 50
 * and 78 msg/s against 70.6 and 72.3 predicted).
 */
public final class ClusterSteps {
  /** The low steps, as shares of the predicted rate (session 36: 20 and 40 msg/s for 63.6 predicted). */
  static final List<Double> LOW_SHARES = List.of(0.3, 0.5);
  /** One step over the step below it. */
  static final double STEP_RATIO = 1.1;
  /** Steps measured beyond each edge of the band, so that a miss outside it is decided too. */
  static final int STEPS_BEYOND_BAND = 2;

  private ClusterSteps() {}

  /**
   * Whole rates from 1 msg/s up, in increasing order, without repeats: the low steps, then from the band's lowest
   * rate ({@code predicted / (1 + tolerance)}) over {@link #STEP_RATIO} twice, by that ratio, up to the first at or
   * above its highest ({@code predicted / (1 - tolerance)}) times it twice.
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
    double beyond = Math.pow(STEP_RATIO, STEPS_BEYOND_BAND);
    double highest = predicted / (1 - tolerance) * beyond;
    double rate = predicted / (1 + tolerance) / beyond;
    rates.add(whole(rate));
    while (rate < highest) {
      rate *= STEP_RATIO;
      rates.add(whole(rate));
    }
    return List.copyOf(rates);
  }

  private static long whole(double rate) {
    return Math.max(1, Math.round(rate));
  }
}
