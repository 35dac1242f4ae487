package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.n;
import static dev.messenger.loadgen.plan.PlanNumbers.percent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The predicted held rate against the one the measured cluster runs held. The cluster held the bound at its
 * highest-rate run within it (checks passed); its held rate lies from that run's acknowledged rate up to the rate
 * offered to the slowest run above it that missed ({@link StackLimit}: a run that collapsed acknowledges less than
 * it was offered), and the steps between the runs decide how closely it is known. The prediction
 * is within the tolerance when every rate in that bracket is (predicted / rate - 1 within it), outside when none
 * is, and not decided otherwise: then only steps inside the bracket can tell.
 *
 * @param measured the cluster run that held at the highest rate, if any held
 * @param missedAbove the slowest run offered more than {@code measured} that missed the bound, if any
 * @param error predicted / measured - 1, when both are rates
 * @param withinTolerance whether the prediction is within the tolerance; null when the figures cannot tell
 * @param verdict the comparison in words
 * @param caveats what makes either figure a bound rather than a value
 */
public record HeldRateCheck(Optional<RunCpu> measured, Optional<RunCpu> missedAbove, Optional<Double> error,
    Boolean withinTolerance, String verdict, List<String> caveats) {

  public HeldRateCheck {
    caveats = List.copyOf(caveats);
  }

  public static HeldRateCheck of(HeldRatePrediction predicted, List<RunCpu> clusterRuns, double p99BoundMillis,
      double tolerance) {
    StackLimit limit = StackLimit.of(clusterRuns, p99BoundMillis);
    Optional<RunCpu> measured = limit.held();
    Optional<RunCpu> missedAbove = limit.missedAbove();
    List<String> caveats = new ArrayList<>();
    if (predicted.lowerBound() && predicted.outcome() != HeldRatePrediction.Outcome.NO_PREDICTION) {
      caveats.add("the prediction is a lower bound (every one-node run held)");
    }
    if (measured.isPresent() && missedAbove.isEmpty()) {
      caveats.add("the fastest cluster run held: the measured rate is a lower bound");
    }
    measured.ifPresent(held -> {
      List<String> missedBelow = clusterRuns.stream()
          .filter(run -> run.offeredOrAcked() < held.offeredOrAcked() && !run.held(p99BoundMillis))
          .sorted(Comparator.comparingDouble(RunCpu::offeredOrAcked)).map(run -> n(run.offeredOrAcked())).toList();
      if (!missedBelow.isEmpty()) {
        caveats.add("the cluster also missed the bound or failed its checks at " + String.join(", ", missedBelow)
            + " msg/s, below its highest run held: it did not hold every rate up to " + n(held.ackedPerSecond())
            + " (a run measured while it still warmed up, or a stall)");
      }
    });
    String band = "±" + n(tolerance * 100) + "%";
    if (predicted.outcome() == HeldRatePrediction.Outcome.NO_PREDICTION) {
      return new HeldRateCheck(measured, missedAbove, Optional.empty(), null,
          "no prediction (no one-node run held the bound): nothing to compare", caveats);
    }
    if (predicted.outcome() == HeldRatePrediction.Outcome.NO_RATE) {
      return measured.isEmpty()
          ? new HeldRateCheck(measured, missedAbove, Optional.empty(), null, "the model predicts no rate and the "
              + "cluster held none: they agree, but that is not a check of the model's accuracy", caveats)
          : new HeldRateCheck(measured, missedAbove, Optional.empty(), false, "the model predicts no rate, the "
              + "cluster held " + n(measured.get().ackedPerSecond()) + " msg/s: outside " + band, caveats);
    }
    double rate = predicted.rate();
    String prediction = "predicted " + predicted.describeRate();
    if (measured.isPresent()) {
      double held = measured.get().ackedPerSecond();
      double missed = missedAbove.map(RunCpu::offeredOrAcked).orElse(Double.POSITIVE_INFINITY);
      // The measured rates the prediction is within the tolerance of: predicted / rate - 1 in [-tol, +tol].
      double lowest = rate / (1 + tolerance);
      double highest = rate / (1 - tolerance);
      boolean lowerBound = predicted.lowerBound();
      boolean missedBelowBand = missedAbove.isPresent() && missed <= lowest;
      boolean inBand = held >= lowest && missed <= highest;
      boolean heldAboveBand = held > highest;
      Boolean within = decide(missedBelowBand, inBand, heldAboveBand, lowerBound);
      String bracket = missedAbove.isPresent() ? "held at " + n(held) + " msg/s and missed at " + n(missed)
          : "held at " + n(held) + " msg/s, its fastest run";
      // An infinite prediction (the cluster's CPU stops growing below the budget) has no finite rate within it.
      String range = Double.isFinite(rate) ? n(lowest) + " to " + n(highest) + " msg/s" : "no finite rate";
      String outcome;
      if (within != null) {
        outcome = (within ? "within " : "outside ") + band + " (" + range + ")";
      } else if (!Double.isFinite(rate)) {
        outcome = "not decided: only a run that misses the bound can show it wrong";
      } else if (lowerBound && (inBand || heldAboveBand)) {
        outcome = "not decided: the prediction is only a lower bound, and the held rate is not below " + range;
      } else {
        outcome = "not decided: within " + band + " needs the held rate from " + range + ", and "
            + (missedAbove.isPresent() ? "steps between " + n(held) + " and " + n(missed) : "steps above " + n(held))
            + " can tell";
      }
      Optional<Double> error = Double.isFinite(rate) ? Optional.of(rate / held - 1) : Optional.empty();
      return new HeldRateCheck(measured, missedAbove, error, within, prediction + " against " + n(held)
          + " measured (" + bracket + ")" + error.map(e -> ": " + percent(e)).orElse("") + ", " + outcome, caveats);
    }
    return noneHeld(predicted, clusterRuns, tolerance, band, caveats);
  }

  /**
   * Within (true), outside (false) or not decided (null): the bracket from the held run to the missed one lies
   * below the band of rates the prediction is within the tolerance of, inside it, or starts above it.
   */
  static Boolean decide(boolean missedBelowBand, boolean inBand, boolean heldAboveBand, boolean lowerBound) {
    if (missedBelowBand) {
      return false;
    }
    if (inBand || heldAboveBand) {
      // A lower-bound prediction may be higher: only a bracket below its band shows it wrong.
      return lowerBound ? null : inBand;
    }
    return null;
  }

  private static HeldRateCheck noneHeld(HeldRatePrediction predicted, List<RunCpu> clusterRuns, double tolerance,
      String band, List<String> caveats) {
    double rate = predicted.rate();
    String prediction = "predicted " + predicted.describeRate();
    Optional<RunCpu> measured = Optional.empty();
    Optional<RunCpu> missedAbove = Optional.empty();
    // No cluster run held: only a run failing below every rate within the tolerance shows the prediction too high.
    double lowEnd = rate / (1 + tolerance);
    Optional<RunCpu> failedLow = clusterRuns.stream().filter(run -> run.offeredOrAcked() <= lowEnd)
        .min(Comparator.comparingDouble(RunCpu::offeredOrAcked));
    if (failedLow.isPresent()) {
      return new HeldRateCheck(measured, missedAbove, Optional.empty(), false, prediction + ", but the cluster did "
          + "not hold even " + n(failedLow.get().offeredOrAcked()) + " msg/s" + (Double.isFinite(rate) ? " (at or "
          + "below " + n(lowEnd) + ", the lowest rate within " + band + ")" : "") + ": outside " + band, caveats);
    }
    return new HeldRateCheck(measured, missedAbove, Optional.empty(), null, prediction + "; the cluster held none "
        + "of its runs, but none was at or below " + n(lowEnd) + " msg/s (the lowest rate within " + band
        + "): not decided, measure the cluster there", caveats);
  }
}
