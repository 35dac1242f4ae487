package dev.messenger.loadgen.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A measured cluster run's CPU against the model's prediction at its acknowledged rate, per process kind and in
 * total, the store's commit-log sync counted in the store. The total counts only the kinds on both sides, so
 * that a process left out of one side's {@code --cpu-pids} does not count as an error of the model.
 *
 * @param run the measured cluster run
 * @param byKind measured and predicted CPU of each kind on both sides, by kind
 * @param total the sums of {@code byKind}
 * @param measuredOnly kinds the cluster run measured and the one-node runs did not
 * @param predictedOnly kinds the one-node runs measured and the cluster run did not
 */
public record CpuComparison(RunCpu run, Map<String, Figures> byKind, Figures total, List<String> measuredOnly,
    List<String> predictedOnly) {

  public CpuComparison {
    byKind = Map.copyOf(byKind);
    measuredOnly = List.copyOf(measuredOnly);
    predictedOnly = List.copyOf(predictedOnly);
  }

  /** Empty when the run measured no process CPU. */
  public static Optional<CpuComparison> of(ClusterModel model, RunCpu run) {
    if (run.coresByKind().isEmpty()) {
      return Optional.empty();
    }
    // The store as a whole on both sides: a cluster node's sync is rarely a listed thread group.
    Map<String, Double> predicted = StoreCommitLogSync.folded(model.clusterCoresAt(run.ackedPerSecond()));
    Map<String, Double> measured = StoreCommitLogSync.folded(run.coresByKind());
    Map<String, Figures> byKind = new TreeMap<>();
    List<String> measuredOnly = new ArrayList<>();
    for (String kind : new TreeSet<>(measured.keySet())) {
      if (predicted.containsKey(kind)) {
        byKind.put(kind, new Figures(measured.get(kind), predicted.get(kind)));
      } else {
        measuredOnly.add(kind);
      }
    }
    List<String> predictedOnly = predicted.keySet().stream().filter(kind -> !byKind.containsKey(kind)).toList();
    Figures total = new Figures(byKind.values().stream().mapToDouble(Figures::measuredCores).sum(),
        byKind.values().stream().mapToDouble(Figures::predictedCores).sum());
    return Optional.of(new CpuComparison(run, byKind, total, measuredOnly, predictedOnly));
  }

  /** The comparison sorted by kind. */
  public Map<String, Figures> sortedByKind() {
    return new TreeMap<>(byKind);
  }

  /**
   * Measured and predicted CPU-seconds per second.
   *
   * @param measuredCores what the cluster run used
   * @param predictedCores what the model predicts at the run's rate
   */
  public record Figures(double measuredCores, double predictedCores) {
    /** predicted / measured - 1; NaN when nothing was measured. */
    public double error() {
      return measuredCores > 0 ? predictedCores / measuredCores - 1 : Double.NaN;
    }

    Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("measured_cores", measuredCores);
      map.put("predicted_cores", predictedCores);
      map.put("error", Double.isNaN(error()) ? null : error());
      return map;
    }
  }
}
