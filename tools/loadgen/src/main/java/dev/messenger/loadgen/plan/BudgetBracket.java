package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.cores;
import static dev.messenger.loadgen.plan.PlanNumbers.n;
import static dev.messenger.loadgen.plan.PlanNumbers.percent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How far the budget (the CPU of the one node's highest run within the bound) may lie below the one node's real
 * limit: the slowest run offered more missed the bound, and its CPU is what the stack took once past the limit.
 * The cluster's rate with that CPU as the budget is how much higher the prediction could be, were the limit at
 * that run.
 *
 * @param limit the one node's held run and the run above it that missed
 * @param missedCores the CPU of the missed run, NaN when none missed above the held run
 * @param rateIfMissedCores the cluster's rate at {@code missedCores}, NaN when there is none or it took no more
 *     CPU than the held run
 */
public record BudgetBracket(OneNodeLimit limit, double missedCores, double rateIfMissedCores) {

  static BudgetBracket of(ClusterModel model, OneNodeLimit limit, HeldRatePrediction held) {
    if (held.basis().isEmpty() || limit.missedAbove().isEmpty()) {
      return new BudgetBracket(limit, Double.NaN, Double.NaN);
    }
    double missed = limit.missedAbove().get().totalCores();
    double rate = missed > held.budgetCores() ? model.rateAt(missed).orElse(Double.NaN) : Double.NaN;
    return new BudgetBracket(limit, missed, rate);
  }

  /** The line for the printed arithmetic, when a run above the held one missed the bound. */
  Optional<String> describe(HeldRatePrediction held) {
    return limit.missedAbove().map(missed -> {
      String step = "the one node's next run, " + n(OneNodeLimit.offered(missed)) + " msg/s offered ("
          + missed.source() + ": p99 " + n(missed.deliveryP99Millis()) + " ms" + (missed.checksPassed() ? ""
          : ", checks FAILED") + "), missed it on " + cores(missedCores) + " cores";
      if (Double.isNaN(rateIfMissedCores)) {
        return step + (missedCores > held.budgetCores() ? "" : ", no more than the held run's: the budget is not "
            + "bracketed from above");
      }
      return step + ": the limit lies between, and with that run's CPU as the budget the cluster would hold up "
          + "to " + rate(rateIfMissedCores) + (Double.isFinite(held.rate()) && Double.isFinite(rateIfMissedCores)
          ? " (" + percent(rateIfMissedCores / held.rate() - 1) + ")" : "");
    });
  }

  /**
   * When the budget's bracket alone moves the prediction further than the tolerance: the one node's limit is not
   * known closely enough for one check to test the model.
   */
  Optional<String> beyondTolerance(HeldRatePrediction held, double tolerance) {
    if (held.outcome() != HeldRatePrediction.Outcome.RATE || !Double.isFinite(held.rate())
        || Double.isNaN(rateIfMissedCores) || rateIfMissedCores / held.rate() - 1 <= tolerance) {
      return Optional.empty();
    }
    RunCpu low = limit.held().orElseThrow();
    RunCpu high = limit.missedAbove().orElseThrow();
    return Optional.of("the one node's limit is known only to lie between " + n(OneNodeLimit.offered(low))
        + " and " + n(OneNodeLimit.offered(high)) + " msg/s (" + cores(held.budgetCores()) + " to " + cores(missedCores)
        + " cores), which moves the prediction from " + rate(held.rate()) + " to " + rate(rateIfMissedCores)
        + ", further than ±" + n(tolerance * 100) + "%: measure the one node between the two (bench/plan-check.sh "
        + "does, ONE_REFINE)");
  }

  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("one_node_missed_above_run", limit.missedAbove().map(RunCpu::source).orElse(null));
    map.put("one_node_missed_above_offered", limit.missedAbove().map(OneNodeLimit::offered).orElse(null));
    map.put("one_node_missed_above_cores", Double.isNaN(missedCores) ? null : missedCores);
    map.put("rate_if_budget_at_missed_run", Double.isFinite(rateIfMissedCores) ? rateIfMissedCores : null);
    return map;
  }

  private static String rate(double rate) {
    return Double.isInfinite(rate) ? "any rate" : n(rate) + " msg/s";
  }
}
