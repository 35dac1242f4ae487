package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.cores;
import static dev.messenger.loadgen.plan.PlanNumbers.n;
import static dev.messenger.loadgen.plan.PlanNumbers.percent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the one node's limit lies in CPU, and so the budget ({@link StackLimit#budgetCores}): from the most CPU a
 * run within the bound used up to the CPU of the slowest run offered more than the highest run held, which missed
 * the bound and so took what the stack took once past the limit. The cluster's rates with either end as the
 * budget are how much lower or higher the prediction could be, were the limit at that end.
 *
 * @param limit the one node's held run and the run above it that missed
 * @param missedCores the CPU of the missed run; NaN when none missed above the held run or it measured no CPU
 * @param rateIfMissedCores the cluster's rate at {@code missedCores}: NaN when there is none, it took no more CPU
 *     than the busiest run within the bound, or the cluster's CPU with no messages exceeds even it; infinite when
 *     the cluster's CPU stops growing below it
 * @param rateIfHeldCores the cluster's rate at the most CPU a run within the bound used, when
 *     {@code rateIfMissedCores} is a rate or infinite: NaN otherwise, or when the cluster's CPU with no messages
 *     exceeds it
 */
public record BudgetBracket(StackLimit limit, double missedCores, double rateIfMissedCores, double rateIfHeldCores) {

  static BudgetBracket of(ClusterModel model, StackLimit limit, HeldRatePrediction held) {
    Optional<RunCpu> missed = limit.missedAbove().filter(run -> !run.coresByKind().isEmpty());
    if (held.basis().isEmpty() || missed.isEmpty()) {
      return new BudgetBracket(limit, Double.NaN, Double.NaN, Double.NaN);
    }
    double cores = missed.get().totalCores();
    double rate = cores > held.budgetCores() ? model.rateAt(cores).orElse(Double.NaN) : Double.NaN;
    double atHeld = Double.isNaN(rate) ? Double.NaN : model.rateAt(limit.heldCores()).orElse(Double.NaN);
    return new BudgetBracket(limit, cores, rate, atHeld);
  }

  /** The line for the printed arithmetic, when a run within the bound other than the highest used more CPU. */
  Optional<String> describeBusiest() {
    return limit.busiestHeld().filter(busiest -> limit.held().filter(busiest::equals).isEmpty())
        .map(busiest -> "the most CPU a run within it used: " + cores(busiest.totalCores()) + " cores, at "
            + n(busiest.ackedPerSecond()) + " msg/s (" + busiest.source() + ": p99 " + n(busiest.deliveryP99Millis())
            + " ms)");
  }

  /** How the budget was reached, after its figure: halfway between the two ends, or the held end alone. */
  String describeBudget() {
    double low = limit.heldCores();
    if (missedCores > low) {
      return ", halfway between " + cores(low) + " (held) and " + cores(missedCores) + " (missed)";
    }
    String why = limit.missedAbove().isEmpty() ? "no run above the highest held missed"
        : Double.isNaN(missedCores) ? "the run above it that missed measured no CPU"
        : "the run above it that missed used no more";
    return ", the most any run within the bound used (" + why + ")";
  }

  /** The line for the printed arithmetic, when a run above the held one missed the bound. */
  Optional<String> describe(HeldRatePrediction held) {
    return limit.missedAbove().map(missed -> {
      String run = "the slowest run above it, " + n(missed.offeredOrAcked()) + " msg/s offered (" + missed.source()
          + ": p99 " + n(missed.deliveryP99Millis()) + " ms" + (missed.checksPassed() ? "" : ", checks FAILED")
          + "), missed it";
      if (Double.isNaN(missedCores)) {
        return run + "; it measured no CPU, so the budget is not bracketed from above";
      }
      run += " on " + cores(missedCores) + " cores";
      if (!(missedCores > limit.heldCores())) {
        return run + ", no more than a run within it: the budget is not bracketed from above";
      }
      if (Double.isNaN(rateIfMissedCores)) {
        return run + ": with that as the budget there is still no rate (the cluster's CPU with no messages exceeds "
            + "it)";
      }
      return run + ": the limit lies between, and with that run's CPU as the budget the cluster would hold up to "
          + rate(rateIfMissedCores) + change(held, rateIfMissedCores).map(c -> " (" + c + ")").orElse("")
          + "; with the most CPU held, " + rateOrNone(rateIfHeldCores)
          + change(held, rateIfHeldCores).map(c -> " (" + c + ")").orElse("");
    });
  }

  /**
   * When the budget's bracket alone moves the prediction further than the tolerance, or from no rate to one: the
   * one node's limit is not known closely enough for one check to test the model.
   */
  Optional<String> beyondTolerance(HeldRatePrediction held, double tolerance) {
    if (Double.isNaN(rateIfMissedCores) || held.outcome() == HeldRatePrediction.Outcome.NO_PREDICTION) {
      return Optional.empty();
    }
    boolean fromNoRate = held.outcome() == HeldRatePrediction.Outcome.NO_RATE;
    boolean finite = Double.isFinite(held.rate()) && held.rate() > 0;
    boolean higher = finite && rateIfMissedCores / held.rate() - 1 > tolerance;
    boolean lower = finite && !(1 - rateIfHeldCores / held.rate() <= tolerance);
    if (!fromNoRate && !higher && !lower) {
      return Optional.empty();
    }
    RunCpu low = limit.held().orElseThrow();
    RunCpu high = limit.missedAbove().orElseThrow();
    String between = "the one node's limit is known only to lie between " + n(low.offeredOrAcked()) + " and "
        + n(high.offeredOrAcked()) + " msg/s (" + cores(limit.heldCores()) + " to " + cores(missedCores) + " cores)";
    String measure = ": measure the one node between the two (bench/plan-check.sh does, ONE_REFINE)";
    if (fromNoRate) {
      return Optional.of(between + ", which moves the prediction from no rate to " + rate(rateIfMissedCores)
          + measure);
    }
    return Optional.of(between + ": with either end as the budget the cluster would hold " + rateOrNone(rateIfHeldCores)
        + " to " + rate(rateIfMissedCores) + " instead of " + rate(held.rate()) + ", further than ±"
        + n(tolerance * 100) + "%" + measure);
  }

  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("one_node_busiest_held_run", limit.busiestHeld().map(RunCpu::source).orElse(null));
    map.put("one_node_busiest_held_cores", limit.busiestHeld().map(RunCpu::totalCores).orElse(null));
    map.put("one_node_missed_above_run", limit.missedAbove().map(RunCpu::source).orElse(null));
    map.put("one_node_missed_above_offered", limit.missedAbove().map(RunCpu::offeredOrAcked).orElse(null));
    map.put("one_node_missed_above_cores", Double.isNaN(missedCores) ? null : missedCores);
    map.put("rate_if_budget_at_missed_run", Double.isFinite(rateIfMissedCores) ? rateIfMissedCores : null);
    map.put("rate_if_budget_at_busiest_held_run", Double.isFinite(rateIfHeldCores) ? rateIfHeldCores : null);
    return map;
  }

  /** The move from the predicted rate to {@code other}, when both are finite and the prediction is above 0. */
  private static Optional<String> change(HeldRatePrediction held, double other) {
    return held.outcome() == HeldRatePrediction.Outcome.RATE && Double.isFinite(held.rate()) && held.rate() > 0
        && Double.isFinite(other) ? Optional.of(percent(other / held.rate() - 1)) : Optional.empty();
  }

  private static String rate(double rate) {
    return Double.isInfinite(rate) ? "any rate" : n(rate) + " msg/s";
  }

  private static String rateOrNone(double rate) {
    return Double.isNaN(rate) ? "no rate" : rate(rate);
  }
}
