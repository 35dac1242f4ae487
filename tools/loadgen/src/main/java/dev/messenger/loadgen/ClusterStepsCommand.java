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
        + "comma-separated: two low steps (3 and 5 tenths of the predicted rate), then steps from the lowest to the "
        + "highest whole rate the prediction is within the tolerance of, at most a tenth apart, and two steps of a "
        + "tenth beyond each of the two.",
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
    String outcome = JsonPaths.string(prediction, "held_rate.outcome", "unknown");
    double predicted = JsonPaths.numberOr(prediction, "held_rate.predicted_rate").orElseThrow(() ->
        new IllegalArgumentException(plan + (outcome.equals("rate") ? " predicts any rate (the cluster's CPU stops "
            + "growing below the budget)" : " predicts no held rate (outcome " + outcome + ")")
            + ": give the cluster's rates yourself"));
    double tolerance = JsonPaths.number(prediction, "tolerance");
    if (Boolean.TRUE.equals(JsonPaths.find(prediction, "held_rate.lower_bound").orElse(false))) {
      spec.commandLine().getErr().println("loadgen: every one-node run held, so " + predicted + " msg/s is only a "
          + "lower bound and the cluster may hold past these steps: measure the one node at higher rates");
    }
    spec.commandLine().getOut().println(ClusterSteps.around(predicted, tolerance).stream().map(String::valueOf)
        .collect(Collectors.joining(",")));
    return 0;
  }
}
