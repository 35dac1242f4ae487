package dev.messenger.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.loadgen.plan.RunReports;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ClusterStartsCommandTest {
  private final LoadgenCli cli = new LoadgenCli();

  @TempDir
  Path dir;

  @Test
  void should_compare_the_checks_of_two_starts_by_their_medians() throws Exception {
    // As PlanClusterCommandTest's sweep: the one node held 100 msg/s and missed 200, the cluster is predicted to
    // hold 72. Start a held 70 and missed 80, start b held 60 and missed 66: the median held 65 and missed 73,
    // inside 60 to 90.
    Path a = check("a", report("a-40.json", 40, 45, 1.6, 1.5), report("a-70.json", 70, 45, 1.9, 2.0),
        report("a-80.json", 80, 70, 2.0, 2.2));
    Path b = check("b", report("b-40.json", 40, 45, 1.6, 1.5), report("b-60.json", 60, 45, 1.8, 1.9),
        report("b-66.json", 66, 70, 1.9, 2.0));
    cli.forget();

    assertThat(cli.run("cluster-starts", "--plans", a + "," + b)).isZero();
    assertThat(cli.out())
        .contains(a + ": held 70 msg/s, missed 80; predicted 72")
        .contains(b + ": held 60 msg/s, missed 66; predicted 72")
        .contains("median of 2 starts: held 65 msg/s, missed 73")
        .contains("=> predicted 72 msg/s (+10.8%): within ±20% (60 to 90 msg/s)");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void should_count_a_start_that_held_no_run_as_missed_at_its_slowest_and_exit_1_outside() throws Exception {
    Path none = check("none", report("n-30.json", 30, 70, 1.5, 1.4), report("n-40.json", 40, 90, 1.6, 1.5));
    cli.forget();

    assertThat(cli.run("cluster-starts", "--plans", none.toString())).isEqualTo(1);
    assertThat(cli.out()).contains("one start: held 0 msg/s, missed 30")
        .contains("outside ±20% (60 to 90 msg/s)");
  }

  @Test
  void should_refuse_a_file_that_is_no_plan_and_a_plan_without_cluster_runs() throws Exception {
    Path report = report("100.json", 100, 30, 2.5, 1.2);
    Path onlyOneNode = dir.resolve("one-node.json");
    assertThat(cli.run("plan-cluster", "--one-node", report + "," + report("200.json", 200, 80, 4.5, 2.2),
        "--cores", "2", "--out", onlyOneNode.toString())).isZero();

    assertThat(cli.run("cluster-starts", "--plans", report.toString())).isEqualTo(2);
    assertThat(cli.err()).contains(report + " is not plan-cluster's JSON (--out)");
    assertThat(cli.run("cluster-starts", "--plans", onlyOneNode.toString())).isEqualTo(2);
    assertThat(cli.err()).contains(onlyOneNode + " has no cluster runs: give plan-cluster --cluster");
  }

  @Test
  void should_take_the_acknowledged_rate_of_a_run_that_names_no_offered_rate_and_refuse_other_tolerances()
      throws Exception {
    Path unnamed = dir.resolve("u-40.json");
    Map<String, Object> report = new LinkedHashMap<>(RunReports.run(40, 90, true,
        Map.of("session-4242", 1.6, "cassandra-4343", 1.5), 10));
    report.remove("scenario");
    RunReports.written(unnamed, report);
    Path none = check("u", unnamed, report("u-50.json", 50, 90, 1.7, 1.6));
    Path wider = dir.resolve("wider.json");
    assertThat(cli.run("plan-cluster", "--one-node", report("w-100.json", 100, 30, 2.5, 1.2) + ","
        + report("w-200.json", 200, 80, 4.5, 2.2), "--cluster", unnamed.toString(), "--cores", "2",
        "--tolerance", "0.3", "--out", wider.toString())).isZero();
    cli.forget();

    assertThat(cli.run("cluster-starts", "--plans", none.toString())).isEqualTo(1);
    assertThat(cli.out()).contains("one start: held 0 msg/s, missed 40");
    assertThat(cli.run("cluster-starts", "--plans", none + "," + wider)).isEqualTo(2);
    assertThat(cli.err()).contains(wider + " was checked at a tolerance of 0.3, the others at 0.2");
  }

  private Path check(String name, Path... clusterRuns) throws Exception {
    Path json = dir.resolve(name + "-plan.json");
    String cluster = String.join(",", Arrays.stream(clusterRuns).map(Path::toString).toList());
    assertThat(cli.run("plan-cluster", "--one-node", report(name + "-100.json", 100, 30, 2.5, 1.2) + ","
        + report(name + "-200.json", 200, 80, 4.5, 2.2), "--cluster", cluster, "--cores", "2",
        "--out", json.toString())).isZero();
    return json;
  }

  private Path report(String name, double acked, double p99, double sessionSeconds, double cassandraSeconds)
      throws Exception {
    return RunReports.written(dir.resolve(name), RunReports.run(acked, p99, true,
        Map.of("session-4242", sessionSeconds, "cassandra-4343", cassandraSeconds), 10));
  }
}
