package dev.messenger.loadgen.plan;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one-node runs the CPU curves go through: those up to the highest rate that held the delivery p99
 * bound with its checks passed. Past that rate the one node is short of CPU and its CPU stops growing with the
 * rate (session 26: 67.7, 75.1, 77.5 and 80.9 CPU-s a minute at 400, 500, 600 and 800 msg/s); lines fitted
 * through those runs came out flatter and with more idle CPU, and put the cluster's held rate at 32 msg/s
 * where it held 160. Every run when none held or fewer than two distinct rates would remain.
 */
public final class UnsaturatedRuns {
  private UnsaturatedRuns() {}

  public static List<RunCpu> of(List<RunCpu> runs, double p99BoundMillis) {
    Optional<Double> highestHeld = runs.stream().filter(run -> run.held(p99BoundMillis))
        .map(RunCpu::offeredOrAcked).max(Comparator.naturalOrder());
    if (highestHeld.isEmpty()) {
      return List.copyOf(runs);
    }
    List<RunCpu> below = runs.stream().filter(run -> run.offeredOrAcked() <= highestHeld.get()).toList();
    long rates = below.stream().map(RunCpu::ackedPerSecond).distinct().count();
    return rates < 2 ? List.copyOf(runs) : below;
  }
}
