package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.n;
import static dev.messenger.loadgen.plan.PlanNumbers.percent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The predicted held rate against the one the measured cluster runs held (the highest acknowledged rate among
 * them with delivery p99 within the bound and checks passed).
 *
 * @param measured the cluster run that held at the highest rate, if any held
 * @param error predicted / measured - 1, when both are rates
 * @param withinTolerance whether the prediction is within the tolerance; null when the figures cannot tell
 * @param verdict the comparison in words
 * @param caveats what makes either figure a bound rather than a value
 */
public record HeldRateCheck(Optional<RunCpu> measured, Optional<Double> error, Boolean withinTolerance,
    String verdict, List<String> caveats) {

  public HeldRateCheck {
    caveats = List.copyOf(caveats);
  }

  public static HeldRateCheck of(HeldRatePrediction predicted, List<RunCpu> clusterRuns, double p99BoundMillis,
      double tolerance) {
    Optional<RunCpu> measured = clusterRuns.stream().filter(run -> run.held(p99BoundMillis))
        .max(Comparator.comparingDouble(RunCpu::ackedPerSecond));
    List<String> caveats = new ArrayList<>();
    if (predicted.lowerBound() && predicted.outcome() != HeldRatePrediction.Outcome.NO_PREDICTION) {
      caveats.add("the prediction is a lower bound (every one-node run held)");
    }
    double highestTried = clusterRuns.stream().mapToDouble(RunCpu::ackedPerSecond).max().orElse(0);
    if (measured.isPresent() && measured.get().ackedPerSecond() >= highestTried) {
      caveats.add("the fastest cluster run held: the measured rate is a lower bound");
    }
    String band = "±" + n(tolerance * 100) + "%";
    if (predicted.outcome() == HeldRatePrediction.Outcome.NO_PREDICTION) {
      return new HeldRateCheck(measured, Optional.empty(), null,
          "no prediction (no one-node run held the bound): nothing to compare", caveats);
    }
    if (predicted.outcome() == HeldRatePrediction.Outcome.NO_RATE) {
      return measured.isEmpty()
          ? new HeldRateCheck(measured, Optional.empty(), null, "the model predicts no rate and the cluster held "
              + "none: they agree, but that is not a check of the model's accuracy", caveats)
          : new HeldRateCheck(measured, Optional.empty(), false, "the model predicts no rate, the cluster held "
              + n(measured.get().ackedPerSecond()) + " msg/s: outside " + band, caveats);
    }
    double rate = predicted.rate();
    String prediction = "predicted " + predicted.describeRate();
    if (measured.isPresent()) {
      double error = rate / measured.get().ackedPerSecond() - 1;
      boolean within = Math.abs(error) <= tolerance;
      return new HeldRateCheck(measured, Optional.of(error), within, prediction + " against "
          + n(measured.get().ackedPerSecond()) + " measured: " + percent(error) + ", "
          + (within ? "within " : "outside ") + band, caveats);
    }
    // No cluster run held: only a run failing well below the prediction shows the prediction too high.
    double lowEnd = rate * (1 - tolerance);
    Optional<RunCpu> failedLow = clusterRuns.stream().filter(run -> run.ackedPerSecond() <= lowEnd)
        .min(Comparator.comparingDouble(RunCpu::ackedPerSecond));
    if (failedLow.isPresent()) {
      return new HeldRateCheck(measured, Optional.empty(), false, prediction + ", but the cluster did not hold even "
          + n(failedLow.get().ackedPerSecond()) + " msg/s (below the prediction less " + n(tolerance * 100)
          + "%): outside " + band, caveats);
    }
    return new HeldRateCheck(measured, Optional.empty(), null, prediction + "; the cluster held none of its runs, "
        + "but none was at or below " + n(lowEnd) + " msg/s (the prediction less " + n(tolerance * 100)
        + "%): not decided, measure the cluster there", caveats);
  }
}
