package dev.messenger.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.loadgen.plan.ClusterSteps;
import dev.messenger.loadgen.plan.RunReports;
import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.report.JsonPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ClusterStepsCommandTest {
  private final LoadgenCli cli = new LoadgenCli();

  @TempDir
  Path dir;

  @Test
  void should_print_the_steps_around_the_rate_a_one_node_plan_predicts() throws Exception {
    // As PlanClusterCommandTest's sweep: the one node held 100 msg/s and missed 200, the cluster is predicted to
    // hold 72.
    Path plan = plan(report("100.json", 100, 30, 2.5, 1.2), report("200.json", 200, 80, 4.5, 2.2));
    double predicted = JsonPaths.number(Json.parseObject(Files.readString(plan)), "held_rate.predicted_rate");
    cli.forget();

    assertThat(cli.run("cluster-steps", "--plan", plan.toString())).isZero();
    assertThat(predicted).isBetween(71.0, 73.0);
    assertThat(cli.out().strip()).isEqualTo(ClusterSteps.around(predicted, 0.2).stream()
        .map(String::valueOf).collect(Collectors.joining(",")))
        .startsWith("22,36,50,55,60,");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void should_refuse_a_plan_without_a_predicted_rate_or_a_file_that_is_no_plan() throws Exception {
    Path report = report("100.json", 100, 80, 2.5, 1.2);
    Path plan = plan(report, report("200.json", 200, 90, 4.5, 2.2));

    assertThat(cli.run("cluster-steps", "--plan", plan.toString())).isEqualTo(2);
    assertThat(cli.err()).contains("predicts no held rate (outcome no_prediction)");
    assertThat(cli.run("cluster-steps", "--plan", report.toString())).isEqualTo(2);
    assertThat(cli.err()).contains(report + " is not plan-cluster's JSON (--out)");
  }

  @Test
  void should_warn_that_the_steps_may_end_below_the_rate_held_when_the_prediction_is_a_lower_bound() throws Exception {
    Path plan = plan(report("100.json", 100, 30, 2.5, 1.2), report("200.json", 200, 40, 4.5, 2.2));
    cli.forget();

    assertThat(cli.run("cluster-steps", "--plan", plan.toString())).isZero();
    assertThat(cli.err()).contains("every one-node run held, so").contains("is only a lower bound");
  }

  private Path plan(Path first, Path second) {
    Path json = dir.resolve("plan.json");
    assertThat(cli.run("plan-cluster", "--one-node", first + "," + second, "--cores", "2", "--out", json.toString()))
        .isZero();
    return json;
  }

  private Path report(String name, double acked, double p99, double sessionSeconds, double cassandraSeconds)
      throws Exception {
    return RunReports.written(dir.resolve(name), RunReports.run(acked, p99, true,
        Map.of("session-4242", sessionSeconds, "cassandra-4343", cassandraSeconds), 10));
  }
}
