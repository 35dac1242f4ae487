package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.n;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The CPU of a clustered deployment predicted from one-node runs: a least-squares line per process kind
 * (idle + CPU per acknowledged message, {@link CpuLine#fit}), each scaled by the cluster's factors for that kind
 * ({@link ClusterShape#scaling}), summed over the kinds. The store's commit-log sync is a kind of its own when
 * every run lists it ({@link StoreCommitLogSync}).
 */
public final class ClusterModel {
  private final ClusterShape shape;
  private final List<RunCpu> fittedRuns;
  private final Map<String, CpuLine> oneNode;
  private final Map<String, CpuLine> cluster;
  private final List<String> notes;

  private ClusterModel(ClusterShape shape, List<RunCpu> fittedRuns, Map<String, CpuLine> oneNode,
      List<String> notes) {
    this.shape = shape;
    this.notes = List.copyOf(notes);
    this.fittedRuns = List.copyOf(fittedRuns);
    this.oneNode = Collections.unmodifiableMap(new TreeMap<>(oneNode));
    Map<String, CpuLine> scaled = new TreeMap<>();
    oneNode.forEach((kind, line) -> {
      ClusterShape.Scaling scaling = shape.scaling(kind);
      scaled.put(kind, line.times(scaling.idleFactor(), scaling.perMessageFactor()));
    });
    this.cluster = Collections.unmodifiableMap(scaled);
  }

  /**
   * Fits the lines. Every run must have measured process CPU ({@code run --cpu-pids}) of the same process
   * kinds, and the runs at least two distinct acknowledged rates.
   */
  public static ClusterModel fit(List<RunCpu> oneNodeRuns, ClusterShape shape) {
    if (oneNodeRuns.isEmpty()) {
      throw new IllegalArgumentException("no one-node run given");
    }
    for (RunCpu run : oneNodeRuns) {
      if (run.coresByKind().isEmpty()) {
        throw new IllegalArgumentException(run.source() + " has no process CPU "
            + "(server.metrics_over_window.process_cpu.cpu_s): measure it with run --cpu-pids NAME=PID,...");
      }
    }
    TreeSet<Double> rates = oneNodeRuns.stream().map(RunCpu::ackedPerSecond)
        .collect(Collectors.toCollection(TreeSet::new));
    if (rates.size() < 2) {
      throw new IllegalArgumentException("a line per process kind needs one-node runs at two distinct rates at "
          + "least; the " + oneNodeRuns.size() + " run(s) given all acknowledged " + n(rates.first())
          + " msg/s: add a run at another --total-rate");
    }
    List<String> notes = new ArrayList<>();
    List<RunCpu> runs = withSyncAlike(oneNodeRuns, shape, notes);
    TreeSet<String> kinds = new TreeSet<>();
    runs.forEach(run -> kinds.addAll(run.coresByKind().keySet()));
    Map<String, CpuLine> lines = new LinkedHashMap<>();
    for (String kind : kinds) {
      double[] x = new double[runs.size()];
      double[] y = new double[runs.size()];
      for (int i = 0; i < runs.size(); i++) {
        RunCpu run = runs.get(i);
        Double cores = run.coresByKind().get(kind);
        if (cores == null) {
          throw new IllegalArgumentException("process kind " + kind + " is missing from " + run.source()
              + " (measured: " + new TreeSet<>(run.coresByKind().keySet()) + "): give every one-node run the same "
              + "--cpu-pids");
        }
        x[i] = run.ackedPerSecond();
        y[i] = cores;
      }
      lines.put(kind, CpuLine.fit(x, y));
    }
    return new ClusterModel(shape, runs, lines, notes);
  }

  /**
   * The runs with the store's commit-log sync apart in all or in none: a run whose report did not list the
   * sync's thread group (under 5 % of the store's CPU, or no thread groups at all) has it in the store's CPU.
   */
  private static List<RunCpu> withSyncAlike(List<RunCpu> runs, ClusterShape shape, List<String> notes) {
    long apart = runs.stream().filter(RunCpu::syncApart).count();
    if (apart > 0 && apart < runs.size()) {
      notes.add("the store's commit-log sync is listed in the thread groups of " + apart + " of the " + runs.size()
          + " one-node runs only: counted with the store in every run, and scaled like it");
      return runs.stream().map(RunCpu::withSyncFolded).toList();
    }
    boolean cassandra = runs.stream().anyMatch(run -> run.coresByKind().containsKey(StoreCommitLogSync.STORE_KIND));
    if (apart == 0 && cassandra && shape.storeSync() == ClusterShape.StoreSync.PERIODIC) {
      notes.add("no one-node run lists the store's commit-log sync among its thread groups: it is scaled with the "
          + "rest of the store, as if the cluster's nodes synced before each answer");
    }
    return runs;
  }

  /** What the fit had to assume, for the printed arithmetic. */
  public List<String> notes() {
    return notes;
  }

  public ClusterShape shape() {
    return shape;
  }

  /** The one-node runs the lines were fitted over, as fitted (the store's sync folded in when not in all). */
  public List<RunCpu> fittedRuns() {
    return fittedRuns;
  }

  /** The fitted one-node line of each process kind, by kind. */
  public Map<String, CpuLine> oneNodeLines() {
    return oneNode;
  }

  /** The one-node lines scaled to the cluster, by kind. */
  public Map<String, CpuLine> clusterLines() {
    return cluster;
  }

  /** The cluster's whole line: the sum of its kinds'. */
  public CpuLine clusterTotal() {
    double idle = cluster.values().stream().mapToDouble(CpuLine::idleCores).sum();
    double perMessage = cluster.values().stream().mapToDouble(CpuLine::perMessageSeconds).sum();
    return new CpuLine(idle, perMessage);
  }

  /** Predicted CPU-seconds per second of each kind on the cluster at {@code rate}, the store's sync apart. */
  public Map<String, Double> clusterCoresAt(double rate) {
    Map<String, Double> cores = new TreeMap<>();
    cluster.forEach((kind, line) -> cores.put(kind, line.at(rate)));
    return cores;
  }

  /**
   * The rate at which the cluster's predicted CPU reaches {@code budgetCores}; empty when its idle CPU alone
   * exceeds it, infinite when the model has no CPU per message.
   */
  public OptionalDouble rateAt(double budgetCores) {
    CpuLine total = clusterTotal();
    if (total.idleCores() > budgetCores) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(total.perMessageSeconds() == 0 ? Double.POSITIVE_INFINITY
        : (budgetCores - total.idleCores()) / total.perMessageSeconds());
  }
}
