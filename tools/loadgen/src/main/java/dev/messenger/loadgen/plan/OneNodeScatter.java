package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.n;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * How far the one-node runs lie from the curves the others give: each run between the lowest and the highest
 * rate is left out in turn, the curves are fitted through the rest, and its CPU is predicted at its rate. The
 * curves pass through every run, so they carry each run's noise into the prediction: twelve 60-second runs of
 * one one-node stack at 100 to 111 msg/s took from 23.4 to 33.1 CPU-s a minute (session 34; standard deviation
 * 10.7 % of the mean, with no trend from the first six to the last six). The root mean square of the relative
 * errors is that noise, with the curves' own error over a gap twice as wide, at rates no run measured, as every
 * cluster process's is.
 *
 * @param rootMeanSquare of predicted / measured - 1 over the runs left out; empty with no run between the lowest
 *     and highest rate
 * @param runsLeftOut how many runs were left out in turn
 */
public record OneNodeScatter(OptionalDouble rootMeanSquare, int runsLeftOut) {
  static final OneNodeScatter NONE = new OneNodeScatter(OptionalDouble.empty(), 0);

  /** Of the runs {@code model} was fitted through: three rates or more give a figure. */
  public static OneNodeScatter of(ClusterModel model) {
    List<RunCpu> runs = model.fittedRuns();
    double lowest = runs.stream().mapToDouble(RunCpu::ackedPerSecond).min().orElse(Double.NaN);
    double highest = runs.stream().mapToDouble(RunCpu::ackedPerSecond).max().orElse(Double.NaN);
    List<Double> errors = new ArrayList<>();
    for (RunCpu leftOut : runs) {
      double rate = leftOut.ackedPerSecond();
      if (rate <= lowest || rate >= highest || !(leftOut.totalCores() > 0)) {
        continue;
      }
      List<RunCpu> others = runs.stream().filter(run -> run != leftOut).toList();
      ClusterModel without;
      try {
        without = ClusterModel.fit(others, model.shape());
      } catch (IllegalArgumentException onePoint) {
        continue; // the others' rates are all within a point of each other: no curve to predict with
      }
      double predicted = without.oneNodeCurves().values().stream().mapToDouble(curve -> curve.at(rate)).sum();
      errors.add(predicted / leftOut.totalCores() - 1);
    }
    if (errors.isEmpty()) {
      return NONE;
    }
    double meanSquare = errors.stream().mapToDouble(e -> e * e).average().orElseThrow();
    return new OneNodeScatter(OptionalDouble.of(Math.sqrt(meanSquare)), errors.size());
  }

  /** "±9.7% (root mean square; 7 runs left out in turn ...)", or why there is no figure. */
  String describe() {
    return rootMeanSquare.isEmpty() ? "not known: no one-node run lies between the lowest and the highest rate"
        : "±" + n(rootMeanSquare.getAsDouble() * 100) + "% (root mean square; " + runsLeftOut
            + (runsLeftOut == 1 ? " run" : " runs") + " left out in turn and predicted from the others)";
  }
}
