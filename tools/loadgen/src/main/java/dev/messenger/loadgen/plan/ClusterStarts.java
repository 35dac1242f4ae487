package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.n;
import static dev.messenger.loadgen.plan.PlanNumbers.percent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Fresh starts of the cluster, each measured over the same steps, checked against one prediction from the same
 * one-node runs. One start is one draw: on this host the same code held 64.1 msg/s in one start and 96.9 in the
 * next (session 37), and the whole cluster's CPU at the same rate moved by 13 to 24 % from start to start. The
 * held rate compared lies from the median of the starts' highest rates held up to the median of the rates they
 * missed above them (the median start's held rate lies between, whichever start it is), the prediction is the
 * median of the starts' own (each at the machine speed timed before that start); the check decides as
 * {@link HeldRateCheck} does for one start, a lower-bound prediction included.
 *
 * @param starts every start, in the order measured
 * @param tolerance the share the prediction may be off by, 0.2 for ±20 %
 */
public record ClusterStarts(List<Start> starts, double tolerance) {
  /**
   * One start's figures from its plan-cluster check.
   *
   * @param name where it came from
   * @param predicted the held rate predicted at the speed timed before this start
   * @param predictedAtOneNodeSpeed the same at the one node's speed (the same for every start of one check)
   * @param lowerBound whether the prediction is only a lower bound (every one-node run held)
   * @param held the highest rate it held, 0 when it held none
   * @param missedAbove the rate of the slowest run above that missed; infinite when its fastest run held
   * @param caveats what its own check said to doubt about its runs
   */
  public record Start(String name, double predicted, double predictedAtOneNodeSpeed, boolean lowerBound,
      double held, double missedAbove, List<String> caveats) {
    public Start {
      if (!finitePositive(predicted) || !finitePositive(predictedAtOneNodeSpeed)) {
        throw new IllegalArgumentException(name + ": a start is compared only with a finite positive predicted "
            + "rate, at its own speed and at the one node's");
      }
      if (!(held >= 0) || !(missedAbove > held)) {
        throw new IllegalArgumentException(name + ": the rate held must lie below the rate missed above it");
      }
      caveats = List.copyOf(caveats);
    }

    private static boolean finitePositive(double rate) {
      return rate > 0 && Double.isFinite(rate);
    }
  }

  public ClusterStarts {
    if (starts.isEmpty()) {
      throw new IllegalArgumentException("no start to compare");
    }
    starts = List.copyOf(starts);
  }

  /** Whether any start's prediction is only a lower bound: then only a miss below the band decides. */
  public boolean lowerBound() {
    return starts.stream().anyMatch(Start::lowerBound);
  }

  public double medianPredicted() {
    return median(Start::predicted);
  }

  public double medianPredictedAtOneNodeSpeed() {
    return median(Start::predictedAtOneNodeSpeed);
  }

  public double medianHeld() {
    return median(Start::held);
  }

  public double medianMissedAbove() {
    return median(Start::missedAbove);
  }

  /** How far the starts' held rates lie apart, as a share of their median; 0 for one start. */
  public double spread() {
    double min = starts.stream().mapToDouble(Start::held).min().orElseThrow();
    double max = starts.stream().mapToDouble(Start::held).max().orElseThrow();
    return medianHeld() > 0 ? (max - min) / medianHeld() : Double.POSITIVE_INFINITY;
  }

  /** The median prediction's error against the median held rate; empty when no start held a rate. */
  public Optional<Double> error() {
    return medianHeld() > 0 ? Optional.of(medianPredicted() / medianHeld() - 1) : Optional.empty();
  }

  /** The same for the prediction at the one node's speed, without the machine speed factor. */
  public Optional<Double> errorAtOneNodeSpeed() {
    return medianHeld() > 0 ? Optional.of(medianPredictedAtOneNodeSpeed() / medianHeld() - 1) : Optional.empty();
  }

  /**
   * Within (true) when the median bracket lies wholly inside the rates the median prediction is within the
   * tolerance of, outside (false) when wholly outside them, null when it straddles an edge.
   */
  public Boolean withinTolerance() {
    return decide(medianPredicted());
  }

  /** {@link #withinTolerance()} for the prediction at the one node's speed. */
  public Boolean withinToleranceAtOneNodeSpeed() {
    return decide(medianPredictedAtOneNodeSpeed());
  }

  /** One line per start, then the medians and the verdicts. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (Start start : starts) {
      lines.add("  " + start.name() + ": held " + n(start.held()) + " msg/s, "
          + (Double.isFinite(start.missedAbove()) ? "missed " + n(start.missedAbove()) : "its fastest run")
          + "; predicted " + n(start.predicted()) + " (" + n(start.predictedAtOneNodeSpeed())
          + " at the one node's speed)");
      start.caveats().forEach(caveat -> lines.add("    caveat: " + caveat));
    }
    String bracket = "held " + n(medianHeld()) + " msg/s, "
        + (Double.isFinite(medianMissedAbove()) ? "missed " + n(medianMissedAbove()) : "at its fastest run");
    lines.add(starts.size() == 1 ? "one start: " + bracket : "median of " + starts.size() + " starts: " + bracket
        + "; the held rates lie " + (Double.isFinite(spread()) ? percent(spread()).replace("+", "") : "without bound")
        + " of the median apart");
    lines.add("  => predicted " + n(medianPredicted()) + " msg/s" + error().map(e -> " (" + percent(e) + ")").orElse("")
        + ": " + verdict(withinTolerance(), medianPredicted()));
    lines.add("  => at the one node's speed " + n(medianPredictedAtOneNodeSpeed()) + " msg/s"
        + errorAtOneNodeSpeed().map(e -> " (" + percent(e) + ")").orElse("") + ": "
        + verdict(withinToleranceAtOneNodeSpeed(), medianPredictedAtOneNodeSpeed()));
    if (starts.size() > 1 && spread() > 2 * tolerance) {
      lines.add("  note: the starts' held rates lie further apart than the whole ±" + n(tolerance * 100)
          + "% band: any one start alone could have landed on either side of it");
    }
    return lines;
  }

  private String verdict(Boolean within, double predicted) {
    String band = n(predicted / (1 + tolerance)) + " to " + n(predicted / (1 - tolerance)) + " msg/s";
    String tol = "±" + n(tolerance * 100) + "%";
    if (within == null) {
      return lowerBound() ? "not decided: the prediction is only a lower bound, and the median held rate is not "
          + "below " + band : "not decided: within " + tol + " needs the median held rate from " + band;
    }
    return (within ? "within " : "outside ") + tol + " (" + band + ")";
  }

  private Boolean decide(double predicted) {
    double lowest = predicted / (1 + tolerance);
    double highest = predicted / (1 - tolerance);
    double held = medianHeld();
    double missed = medianMissedAbove();
    return HeldRateCheck.decide(missed <= lowest, held >= lowest && missed <= highest, held > highest, lowerBound());
  }

  private double median(ToDoubleFunction<Start> figure) {
    double[] sorted = starts.stream().mapToDouble(figure).sorted().toArray();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
