package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.n;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The rate the cluster is predicted to hold at a delivery p99 bound. The one node held the bound up to a share
 * of the machine's CPU ({@link StackLimit#budgetCores}: between the most CPU a run within the bound used and the
 * CPU of the run above that missed); the cluster is predicted to hold it up to the same share, at the rate where
 * its predicted CPU reaches that share of the cores.
 *
 * @param outcome whether a rate was predicted, and if not, why
 * @param rate the predicted rate when {@code outcome} is {@link Outcome#RATE}, else NaN
 * @param basis the one-node run that held at the highest rate, when one held
 * @param budgetCores the share times the cores: the CPU-seconds per second the cluster may use
 * @param share the budget over the machine's cores
 * @param lowerBound every one-node run held, so the one node may hold more: the share and the rate are lower bounds
 * @param sensitivity the rates had the cluster used {@link #CPU_ERROR} more or less CPU than the model says
 */
public record HeldRatePrediction(Outcome outcome, double rate, Optional<RunCpu> basis, double budgetCores,
    double share, boolean lowerBound, Sensitivity sensitivity) {
  /**
   * The error in the cluster's CPU the sensitivity is given for. Where the cluster's CPU with no messages takes
   * most of the budget, as on one small machine, a small error in the CPU is a large one in the rate.
   */
  public static final double CPU_ERROR = 0.10;

  /** The predicted rate were the cluster's CPU {@link #CPU_ERROR} above or below the model; NaN for no rate. */
  public record Sensitivity(double ifCpuHigher, double ifCpuLower) {
    static final Sensitivity NONE = new Sensitivity(Double.NaN, Double.NaN);

    static Sensitivity of(ClusterModel model, double budgetCores) {
      return of(model, budgetCores, CPU_ERROR);
    }

    /**
     * The rates were the cluster's CPU the share {@code error} above or below the model; any rate below it when
     * the error is the whole CPU or more.
     */
    static Sensitivity of(ClusterModel model, double budgetCores, double error) {
      return new Sensitivity(model.rateAt(budgetCores / (1 + error)).orElse(Double.NaN), error >= 1
          ? Double.POSITIVE_INFINITY : model.rateAt(budgetCores / (1 - error)).orElse(Double.NaN));
    }
  }

  /** Why there is or is not a predicted rate. */
  public enum Outcome {
    /** The cluster's predicted CPU reaches the budget at {@code rate}. */
    RATE,
    /** The cluster's CPU with no messages already exceeds the budget. */
    NO_RATE,
    /** No one-node run held the bound: there is no share to start from. */
    NO_PREDICTION
  }

  public static HeldRatePrediction of(ClusterModel model, List<RunCpu> oneNodeRuns, double p99BoundMillis,
      int cores) {
    StackLimit limit = StackLimit.of(oneNodeRuns, p99BoundMillis);
    Optional<RunCpu> basis = limit.held();
    if (basis.isEmpty()) {
      return new HeldRatePrediction(Outcome.NO_PREDICTION, Double.NaN, basis, Double.NaN, Double.NaN, false,
          Sensitivity.NONE);
    }
    double budget = limit.budgetCores();
    boolean lowerBound = oneNodeRuns.stream().allMatch(run -> run.held(p99BoundMillis));
    OptionalDouble rate = model.rateAt(budget);
    return new HeldRatePrediction(rate.isPresent() ? Outcome.RATE : Outcome.NO_RATE, rate.orElse(Double.NaN), basis,
        budget, budget / cores, lowerBound, Sensitivity.of(model, budget));
  }

  /** The predicted rate in words: "16.2 msg/s", or any rate when the cluster's CPU stops growing below the budget. */
  public String describeRate() {
    return Double.isInfinite(rate) ? "any rate (the cluster's CPU stops growing below the budget)" : n(rate) + " msg/s";
  }
}
