package dev.messenger.loadgen.plan;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a stack's limit lies among its runs: its highest-rate run that held a delivery p99 bound with its checks
 * passed, and the slowest run offered more than that, which missed. Runs above it are ordered by the rate
 * offered: one that collapsed may acknowledge less than the run held. For the one node, the CPU the machine gives the stack
 * before its latency breaks lies between the two runs' CPU. One step up can jump from far below the bound into
 * overload (session 35: 18 ms on 0.97 cores at 500 msg/s, 842 ms on 1.22 cores at 600): then the held run's CPU
 * falls well short of the limit, and a run between the two ({@link #nextRate}) narrows it. For the cluster, its
 * held rate lies between the two ({@link HeldRateCheck}).
 *
 * @param held the run that held at the highest acknowledged rate, if any held
 * @param missedAbove the slowest run offered more than {@code held} that missed the bound, if any
 * @param busiestHeld the run within the bound that used the most CPU, if any held with CPU figures
 */
public record StackLimit(Optional<RunCpu> held, Optional<RunCpu> missedAbove, Optional<RunCpu> busiestHeld) {

  public static StackLimit of(List<RunCpu> runs, double p99BoundMillis) {
    Optional<RunCpu> held = runs.stream().filter(run -> run.held(p99BoundMillis))
        .max(Comparator.comparingDouble(RunCpu::ackedPerSecond));
    Optional<RunCpu> missedAbove = held.flatMap(basis -> runs.stream()
        .filter(run -> run.offeredOrAcked() > basis.offeredOrAcked() && !run.held(p99BoundMillis))
        .min(Comparator.comparingDouble(RunCpu::offeredOrAcked)));
    Optional<RunCpu> busiestHeld = runs.stream()
        .filter(run -> run.held(p99BoundMillis) && !run.coresByKind().isEmpty())
        .max(Comparator.comparingDouble(RunCpu::totalCores));
    return new StackLimit(held, missedAbove, busiestHeld);
  }

  /**
   * The CPU the stack holds the bound on, as a budget: halfway between the most CPU a run within the bound used
   * (the stack held on at least that) and the CPU of the missed run above, when that run used more (it ran past
   * the limit); the former alone when no run above missed or it measured no more. The held run's CPU alone is a
   * lower bound and fell short each time the cluster held above it (session 35's run b: 0.97 cores held, 1.22
   * missed, the cluster held on 1.15; session 37: 0.954 held, 1.156 missed, the cluster held on 1.04 to 1.08).
   * NaN when no run with CPU figures held.
   */
  public double budgetCores() {
    if (busiestHeld.isEmpty()) {
      return Double.NaN;
    }
    double low = busiestHeld.get().totalCores();
    double high = missedAbove.map(RunCpu::totalCores).orElse(Double.NaN);
    return high > low ? (low + high) / 2 : low;
  }

  /** The most CPU a run within the bound used; NaN when none with CPU figures held. */
  public double heldCores() {
    return busiestHeld.map(RunCpu::totalCores).orElse(Double.NaN);
  }

  /**
   * The whole rate halfway between the held run's and the missed run's offered rates, when they are more than
   * twice {@code smallestGap} apart; empty when nothing held, nothing above it missed, they are close enough, or
   * no whole rate lies between them.
   */
  public OptionalLong nextRate(double smallestGap) {
    if (held.isEmpty() || missedAbove.isEmpty()) {
      return OptionalLong.empty();
    }
    double low = held.get().offeredOrAcked();
    double high = missedAbove.get().offeredOrAcked();
    long middle = Math.round((low + high) / 2);
    return high - low > 2 * smallestGap && middle > low && middle < high ? OptionalLong.of(middle)
        : OptionalLong.empty();
  }
}
