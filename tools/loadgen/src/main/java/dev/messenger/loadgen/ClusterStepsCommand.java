package dev.messenger.loadgen;

import dev.messenger.loadgen.plan.ClusterSteps;
import dev.messenger.loadgen.report.JsonPaths;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadgen cluster-steps}: the rates to measure the cluster at, around a plan's predicted held rate. */
@Command(name = "cluster-steps", mixinStandardHelpOptions = true,
    description = {"From a plan-cluster prediction (its --out JSON), print the rates to measure the cluster at, "
        + "comma-separated: two low steps (3 and 5 tenths of the predicted rate), then steps a tenth apart from "
        + "two below the rates the prediction is within the tolerance of to two above them.",
        "bench/plan-check.sh measures the cluster at them when CLUSTER_RATES is auto (the default)."})
final class ClusterStepsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--plan", paramLabel = "FILE", required = true,
      description = "plan-cluster's JSON (--out), from one-node runs alone or with cluster runs.")
  Path plan;

  @Override
  public Integer call() {
    Map<String, Object> prediction = ReportFiles.read(plan);
    if (!"plan_cluster".equals(prediction.get("kind"))) {
      throw new IllegalArgumentException(plan + " is not plan-cluster's JSON (--out)");
    }
    double predicted = JsonPaths.numberOr(prediction, "held_rate.predicted_rate").orElseThrow(() ->
        new IllegalArgumentException(plan + " predicts no held rate (outcome "
            + JsonPaths.string(prediction, "held_rate.outcome", "unknown") + "): give the cluster's rates yourself"));
    double tolerance = JsonPaths.number(prediction, "tolerance");
    spec.commandLine().getOut().println(ClusterSteps.around(predicted, tolerance).stream().map(String::valueOf)
        .collect(Collectors.joining(",")));
    return 0;
  }
}
