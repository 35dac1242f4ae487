package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.n;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * How much slower the machine ran the cluster runs than the one-node runs: the median of the cluster runs' fixed
 * job time over the one-node runs' ({@link MachineSpeed}, before each run). The one-node curves are CPU at the
 * one-node runs' speed; the cluster's CPU is predicted at its own, the curves times this factor. The job timed on
 * every core at once when every run has that figure, since a loaded deployment keeps every core busy and a
 * virtual machine's cores can slow each other down then; alone on one core when no run has it (reports of session
 * 32). A factor of 1 when no cluster run is given (a plan before any cluster exists), a run has no figure (older
 * reports), or only some runs have the all-cores figure: their one-core figures were timed after different
 * warm-ups (session 32's was a quarter slower), so they do not compare.
 *
 * @param factor the cluster runs' job time over the one-node runs'
 * @param oneNodeJobMicros the one-node runs' median job time, when every one of them has one
 * @param clusterJobMicros the cluster runs' median job time, when every one of them has one
 * @param measure how the compared job times were measured: "on every core at once" or "alone on one core"; empty
 *     when none were compared
 * @param reason why the factor is what it is, in words
 */
public record SpeedRatio(double factor, OptionalDouble oneNodeJobMicros, OptionalDouble clusterJobMicros,
    Optional<String> measure, String reason) {
  private static final String ALL_CORES = "on every core at once";
  private static final String ONE_CORE = "alone on one core";

  public static SpeedRatio of(List<RunCpu> oneNodeRuns, List<RunCpu> clusterRuns) {
    List<RunCpu> runs = Stream.concat(oneNodeRuns.stream(), clusterRuns.stream()).toList();
    long withAllCores = runs.stream()
        .filter(run -> run.speed().filter(speed -> speed.allCoresJobMicros().isPresent()).isPresent()).count();
    boolean allCores = withAllCores == runs.size();
    ToDoubleFunction<MachineSpeed> figure = allCores ? speed -> speed.allCoresJobMicros().getAsDouble()
        : MachineSpeed::beforeRunJobMicros;
    OptionalDouble oneNode = medianJobMicros(oneNodeRuns, figure);
    OptionalDouble cluster = medianJobMicros(clusterRuns, figure);
    if (clusterRuns.isEmpty()) {
      return notCompared(oneNode, cluster, "no cluster run: the cluster's CPU is predicted at the one-node runs' "
          + "machine speed");
    }
    if (oneNode.isEmpty() || cluster.isEmpty()) {
      long without = runs.stream().filter(run -> run.speed().isEmpty()).count();
      return notCompared(oneNode, cluster, without + " of the " + runs.size() + " runs measured no machine speed "
          + "(reports from before session 32, or runs without --cpu-pids): the machine is taken to have run at one "
          + "speed throughout");
    }
    if (withAllCores > 0 && !allCores) {
      return notCompared(OptionalDouble.empty(), OptionalDouble.empty(), (runs.size() - withAllCores) + " of the "
          + runs.size() + " runs timed the job on one core only, after a shorter warm-up (reports of session 32), "
          + "so their times do not compare with the others': the machine is taken to have run at one speed "
          + "throughout");
    }
    String measure = allCores ? ALL_CORES : ONE_CORE;
    double factor = cluster.getAsDouble() / oneNode.getAsDouble();
    String aside = allCores ? oneCoreAlone(oneNodeRuns, clusterRuns) : "";
    return new SpeedRatio(factor, oneNode, cluster, Optional.of(measure), "a fixed job " + measure + " took "
        + n(cluster.getAsDouble()) + " us of CPU before the cluster runs against " + n(oneNode.getAsDouble())
        + " us before the one-node runs (medians" + aside + "): the cluster's CPU is predicted " + times(factor));
  }

  private static SpeedRatio notCompared(OptionalDouble oneNode, OptionalDouble cluster, String reason) {
    return new SpeedRatio(1, oneNode, cluster, Optional.empty(), reason);
  }

  /** The one-core figures beside the all-cores ones, to show how much the cores slowed each other down. */
  private static String oneCoreAlone(List<RunCpu> oneNodeRuns, List<RunCpu> clusterRuns) {
    double oneNode = medianJobMicros(oneNodeRuns, MachineSpeed::beforeRunJobMicros).getAsDouble();
    double cluster = medianJobMicros(clusterRuns, MachineSpeed::beforeRunJobMicros).getAsDouble();
    return "; " + ONE_CORE + ": " + n(cluster) + " against " + n(oneNode) + ", " + times(cluster / oneNode);
  }

  /** The median of the runs' job times; empty when there are no runs or one has no figure. */
  private static OptionalDouble medianJobMicros(List<RunCpu> runs, ToDoubleFunction<MachineSpeed> figure) {
    if (runs.isEmpty() || runs.stream().anyMatch(run -> run.speed().isEmpty())) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(new Median().evaluate(runs.stream().map(RunCpu::speed).map(Optional::orElseThrow)
        .mapToDouble(figure).toArray()));
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
    map.put("job_timed", measure.orElse(null));
    map.put("one_node_job_cpu_us", oneNodeJobMicros.isPresent() ? oneNodeJobMicros.getAsDouble() : null);
    map.put("cluster_job_cpu_us", clusterJobMicros.isPresent() ? clusterJobMicros.getAsDouble() : null);
    map.put("reason", reason);
    return map;
  }
}
