package dev.messenger.loadgen.plan;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the one node's limit lies among its runs: its highest-rate run that held a delivery p99 bound with its
 * checks passed, and the slowest run offered more, which missed. The CPU the machine gives the stack before
 * its latency breaks lies between the two runs' CPU. One step up can jump from far below the bound into
 * overload (session 35: 18 ms on 0.97 cores at 500 msg/s, 842 ms on 1.22 cores at 600): then the held run's CPU
 * falls well short of the limit, and a run between the two ({@link #nextRate}) narrows it.
 *
 * @param held the run that held at the highest acknowledged rate, if any held
 * @param missedAbove the slowest run offered more than {@code held}, if any
 */
public record OneNodeLimit(Optional<RunCpu> held, Optional<RunCpu> missedAbove) {

  public static OneNodeLimit of(List<RunCpu> runs, double p99BoundMillis) {
    Optional<RunCpu> held = runs.stream().filter(run -> run.held(p99BoundMillis))
        .max(Comparator.comparingDouble(RunCpu::ackedPerSecond));
    Optional<RunCpu> missedAbove = held.flatMap(basis -> runs.stream()
        .filter(run -> run.offeredOrAcked() > basis.offeredOrAcked() && !run.held(p99BoundMillis))
        .min(Comparator.comparingDouble(RunCpu::offeredOrAcked)));
    return new OneNodeLimit(held, missedAbove);
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
