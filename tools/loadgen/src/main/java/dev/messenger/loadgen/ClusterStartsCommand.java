package dev.messenger.loadgen;

import dev.messenger.loadgen.plan.ClusterStarts;
import dev.messenger.loadgen.report.JsonPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadgen cluster-starts}: several cluster starts' checks of one prediction, compared by their medians. */
@Command(name = "cluster-starts", mixinStandardHelpOptions = true,
    description = {"From the plan-cluster checks (their --out JSON) of fresh cluster starts against the same one-node "
        + "runs, print each start's held rate and prediction, their medians, and whether the median prediction is "
        + "within the tolerance of the median held rate (with and without the machine speed factor).",
        "bench/plan-check.sh runs it when CLUSTER_STARTS is above 1.",
        "Exit codes: 0 when the median prediction at each start's own machine speed (as plan-cluster predicts) is "
            + "within the tolerance, 1 when outside it or not decided, 2 bad input."})
final class ClusterStartsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--plans", paramLabel = "FILE[,FILE...]", split = ",", required = true,
      description = "plan-cluster's JSON (--out) of each start, with its cluster runs.")
  List<Path> plans;

  @Override
  public Integer call() {
    List<ClusterStarts.Start> starts = new ArrayList<>();
    double tolerance = Double.NaN;
    for (Path plan : plans) {
      Map<String, Object> check = ReportFiles.read(plan);
      if (!"plan_cluster".equals(check.get("kind"))) {
        throw new IllegalArgumentException(plan + " is not plan-cluster's JSON (--out)");
      }
      double own = JsonPaths.number(check, "tolerance");
      if (!Double.isNaN(tolerance) && own != tolerance) {
        throw new IllegalArgumentException(plan + " was checked at a tolerance of " + own + ", the others at "
            + tolerance);
      }
      tolerance = own;
      starts.add(start(plan, check));
    }
    ClusterStarts compared = new ClusterStarts(starts, tolerance);
    compared.describe().forEach(spec.commandLine().getOut()::println);
    return Boolean.TRUE.equals(compared.withinTolerance()) ? 0 : 1;
  }

  private static ClusterStarts.Start start(Path plan, Map<String, Object> check) {
    double predicted = finite(plan, JsonPaths.numberOr(check, "held_rate.predicted_rate"), "");
    double atOneNodeSpeed = finite(plan, JsonPaths.numberOr(check, "held_rate.predicted_rate_at_one_node_speed"),
        " at the one node's speed");
    List<Object> runs = JsonPaths.list(check, "cluster_runs");
    if (runs.isEmpty()) {
      throw new IllegalArgumentException(plan + " has no cluster runs: give plan-cluster --cluster");
    }
    double held = JsonPaths.numberOr(check, "held_rate_check.measured_rate").orElse(0.0);
    double missed = JsonPaths.numberOr(check, "held_rate_check.missed_above_rate").orElse(held > 0
        ? Double.POSITIVE_INFINITY : slowestOffered(runs));
    boolean lowerBound = Boolean.TRUE.equals(JsonPaths.find(check, "held_rate.lower_bound").orElse(false));
    List<String> caveats = JsonPaths.list(check, "held_rate_check.caveats").stream().map(String::valueOf).toList();
    return new ClusterStarts.Start(plan.toString(), predicted, atOneNodeSpeed, lowerBound, held, missed, caveats);
  }

  private static double finite(Path plan, Optional<Double> rate, String where) {
    return rate.filter(Double::isFinite).orElseThrow(() ->
        new IllegalArgumentException(plan + " predicts no finite held rate" + where + ": nothing to compare"));
  }

  /**
   * A start that held no run missed at its slowest: its held rate lies below that rate, offered (acknowledged in a
   * report that names no offered rate), as its own check counts it.
   */
  @SuppressWarnings("unchecked")
  private static double slowestOffered(List<Object> runs) {
    return runs.stream().map(run -> (Map<String, Object>) run).mapToDouble(run -> {
      double offered = JsonPaths.numberOr(run, "offered_per_s").orElse(0.0);
      return offered > 0 ? offered : JsonPaths.number(run, "acked_per_s");
    }).min().orElseThrow();
  }
}
