package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.n;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * How much slower the machine ran the cluster runs than the one-node runs: the median of the cluster runs' fixed
 * job time over the one-node runs' ({@link MachineSpeed}, before each run). The one-node curves are CPU at the
 * one-node runs' speed; the cluster's CPU is predicted at its own, the curves times this factor. A factor of 1
 * when no cluster run is given (a plan before any cluster exists) or a run has no figure (older reports).
 *
 * @param factor the cluster runs' job time over the one-node runs'
 * @param oneNodeJobMicros the one-node runs' median job time, when every one of them has one
 * @param clusterJobMicros the cluster runs' median job time, when every one of them has one
 * @param reason why the factor is what it is, in words
 */
public record SpeedRatio(double factor, OptionalDouble oneNodeJobMicros, OptionalDouble clusterJobMicros,
    String reason) {

  public static SpeedRatio of(List<RunCpu> oneNodeRuns, List<RunCpu> clusterRuns) {
    OptionalDouble oneNode = medianJobMicros(oneNodeRuns);
    OptionalDouble cluster = medianJobMicros(clusterRuns);
    if (clusterRuns.isEmpty()) {
      return new SpeedRatio(1, oneNode, cluster, "no cluster run: the cluster's CPU is predicted at the one-node "
          + "runs' machine speed");
    }
    if (oneNode.isEmpty() || cluster.isEmpty()) {
      long without = oneNodeRuns.stream().filter(run -> run.speed().isEmpty()).count()
          + clusterRuns.stream().filter(run -> run.speed().isEmpty()).count();
      return new SpeedRatio(1, oneNode, cluster, without + " of the " + (oneNodeRuns.size() + clusterRuns.size())
          + " runs measured no machine speed (reports from before session 32, or runs without --cpu-pids): the "
          + "machine is taken to have run at one speed throughout");
    }
    double factor = cluster.getAsDouble() / oneNode.getAsDouble();
    return new SpeedRatio(factor, oneNode, cluster, "a fixed job took " + n(cluster.getAsDouble())
        + " us of CPU before the cluster runs against " + n(oneNode.getAsDouble()) + " us before the one-node runs "
        + "(medians): the cluster's CPU is predicted " + times(factor));
  }

  /** The median of the runs' job times; empty when there are no runs or one has no figure. */
  private static OptionalDouble medianJobMicros(List<RunCpu> runs) {
    if (runs.isEmpty() || runs.stream().anyMatch(run -> run.speed().isEmpty())) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(new Median().evaluate(runs.stream().map(RunCpu::speed).map(Optional::orElseThrow)
        .mapToDouble(MachineSpeed::beforeRunJobMicros).toArray()));
  }

  /** The factor as the plan prints it: "x 1.107". */
  public String describeFactor() {
    return times(factor);
  }

  private static String times(double factor) {
    return String.format(Locale.ROOT, "x %.3f", factor);
  }

  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("factor", factor);
    map.put("one_node_job_cpu_us", oneNodeJobMicros.isPresent() ? oneNodeJobMicros.getAsDouble() : null);
    map.put("cluster_job_cpu_us", clusterJobMicros.isPresent() ? clusterJobMicros.getAsDouble() : null);
    map.put("reason", reason);
    return map;
  }
}
