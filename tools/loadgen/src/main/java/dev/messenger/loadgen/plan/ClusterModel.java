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
 * The CPU of a clustered deployment predicted from one-node runs: a curve per process kind through the runs'
 * CPU at their acknowledged rates ({@link CpuCurve#fit}), and in the cluster each process of a kind on that curve
 * at its share of the rate ({@link ClusterShape.Scaling#coresAt}), summed over the processes and kinds. The
 * store's commit-log sync is a kind of its own when every run lists it ({@link StoreCommitLogSync}).
 */
public final class ClusterModel {
  /** Bisection steps for the rate at a budget: far below a thousandth of a message per second. */
  private static final int BISECTION_STEPS = 100;
  /** Above this the cluster is taken to hold any rate: its CPU does not grow with the rate. */
  private static final double UNBOUNDED_RATE = 1e9;

  private final ClusterShape shape;
  private final List<RunCpu> fittedRuns;
  private final Map<String, CpuCurve> oneNode;
  private final List<String> notes;
  private final double speedFactor;

  private ClusterModel(ClusterShape shape, List<RunCpu> fittedRuns, Map<String, CpuCurve> oneNode,
      List<String> notes, double speedFactor) {
    if (!(speedFactor > 0) || Double.isInfinite(speedFactor)) {
      throw new IllegalArgumentException("the machine's speed factor must be a positive number, not " + speedFactor);
    }
    this.speedFactor = speedFactor;
    this.shape = shape;
    this.notes = List.copyOf(notes);
    this.fittedRuns = List.copyOf(fittedRuns);
    this.oneNode = Collections.unmodifiableMap(new TreeMap<>(oneNode));
  }

  /**
   * Fits the curves. Every run must have measured process CPU ({@code run --cpu-pids}) of the same process
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
      throw new IllegalArgumentException("a curve per process kind needs one-node runs at two distinct rates at "
          + "least; the " + oneNodeRuns.size() + " run(s) given all acknowledged " + n(rates.first())
          + " msg/s: add a run at another --total-rate");
    }
    List<String> notes = new ArrayList<>();
    List<RunCpu> runs = withSyncAlike(oneNodeRuns, shape, notes);
    TreeSet<String> kinds = new TreeSet<>();
    runs.forEach(run -> kinds.addAll(run.coresByKind().keySet()));
    Map<String, CpuCurve> curves = new LinkedHashMap<>();
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
      curves.put(kind, CpuCurve.fit(x, y));
    }
    int points = curves.values().iterator().next().points().size();
    if (points < 2) {
      throw new IllegalArgumentException("a curve per process kind needs one-node runs at two rates at least "
          + n(CpuCurve.SAME_RATE * 100) + "% apart; the rates given, " + rates + " msg/s, are one point: add a run "
          + "at another --total-rate");
    }
    return new ClusterModel(shape, runs, curves, notes, 1);
  }

  /**
   * The same model on a machine {@code factor} times slower than during the one-node runs ({@link SpeedRatio}):
   * every process's CPU times the factor.
   */
  public ClusterModel atSpeed(double factor) {
    return new ClusterModel(shape, fittedRuns, oneNode, notes, factor);
  }

  /** How much slower than during the one-node runs this model's machine is: 1 as fitted. */
  public double speedFactor() {
    return speedFactor;
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

  /** The one-node runs the curves go through, as fitted (the store's sync folded in when not in all). */
  public List<RunCpu> fittedRuns() {
    return fittedRuns;
  }

  /** The one-node curve of each process kind, by kind. */
  public Map<String, CpuCurve> oneNodeCurves() {
    return oneNode;
  }

  /**
   * Predicted CPU-seconds per second of each kind on the cluster at {@code rate}, the store's sync apart, at this
   * model's machine speed.
   */
  public Map<String, Double> clusterCoresAt(double rate) {
    Map<String, Double> cores = new TreeMap<>();
    oneNode.forEach((kind, curve) -> cores.put(kind, speedFactor * shape.scaling(kind).coresAt(curve, rate)));
    return cores;
  }

  /** Predicted CPU-seconds per second of the whole cluster at {@code rate}. */
  public double clusterTotalAt(double rate) {
    return clusterCoresAt(rate).values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /**
   * The rate at which the cluster's predicted CPU reaches {@code budgetCores}; empty when its CPU with no
   * messages already exceeds it, infinite when its CPU stops growing below the budget. Every curve is
   * non-decreasing, so the cluster's is, and bisection finds the one crossing.
   */
  public OptionalDouble rateAt(double budgetCores) {
    if (clusterTotalAt(0) > budgetCores) {
      return OptionalDouble.empty();
    }
    double high = 1;
    while (clusterTotalAt(high) < budgetCores) {
      high *= 2;
      if (high > UNBOUNDED_RATE) {
        return OptionalDouble.of(Double.POSITIVE_INFINITY);
      }
    }
    double low = 0;
    for (int step = 0; step < BISECTION_STEPS && high - low > 1e-9; step++) {
      double middle = (low + high) / 2;
      if (clusterTotalAt(middle) < budgetCores) {
        low = middle;
      } else {
        high = middle;
      }
    }
    return OptionalDouble.of((low + high) / 2);
  }
}
