package dev.messenger.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.loadgen.plan.RunReports;
import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.report.JsonPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class PlanClusterCommandTest {
  private final LoadgenCli cli = new LoadgenCli();

  @TempDir
  Path dir;

  @Test
  void should_refuse_one_node_runs_at_a_single_rate_and_say_what_to_add() throws Exception {
    Path a = report("a.json", 100, 30, 2.5, 1.2);
    Path b = report("b.json", 100, 35, 2.6, 1.3);

    assertThat(cli.run("plan-cluster", "--one-node", a + "," + b)).isEqualTo(2);
    assertThat(cli.err()).contains("loadgen: a curve per process kind needs one-node runs at two distinct "
        + "rates at least; the 2 run(s) given all acknowledged 100 msg/s: add a run at another --total-rate");
  }

  @Test
  void should_refuse_a_one_node_report_without_process_cpu() throws Exception {
    Path a = report("a.json", 100, 30, 2.5, 1.2);
    Path bare = dir.resolve("bare.json");
    Files.writeString(bare, Json.write(Map.of("kind", "run", "throughput", Map.of("acked_per_s", 200),
        "latency_ms", Map.of("delivery", Map.of("p99", 20)))));

    assertThat(cli.run("plan-cluster", "--one-node", a + "," + bare)).isEqualTo(2);
    assertThat(cli.err()).contains(bare + " has no process CPU").contains("--cpu-pids");
  }

  @Test
  void should_name_the_step_of_a_sweep_that_has_no_report() throws Exception {
    report("report-100.json", 100, 30, 2.5, 1.2);
    Path sweep = dir.resolve("sweep.json");
    Files.writeString(sweep, Json.write(Map.of("kind", "sweep", "steps", List.of(
        Map.of("offered_per_s", 100, "report", "report-100.json"), Map.of("offered_per_s", 200)))));

    assertThat(cli.run("plan-cluster", "--one-node", sweep.toString())).isEqualTo(2);
    assertThat(cli.err()).contains(sweep + ": step 2 names no run report");
  }

  @Test
  void should_read_a_sweep_predict_compare_and_write_the_json() throws Exception {
    // One node: session 0.05 + 2 ms per message, cassandra 0.02 + 1 ms; held 100 msg/s on 0.37 cores, missed 200
    // on 0.67: a budget of 0.52. Cluster (2 sessions, 3 store nodes at RF 3): 0.16 cores + 5 ms per message, so 72
    // msg/s on 0.52 cores.
    report("report-100.json", 100, 30, 2.5, 1.2);
    report("report-200.json", 200, 80, 4.5, 2.2);
    Path sweep = dir.resolve("sweep.json");
    Files.writeString(sweep, Json.write(Map.of("kind", "sweep", "steps", List.of(
        Map.of("offered_per_s", 100, "report", "report-100.json"),
        Map.of("offered_per_s", 200, "report", "report-200.json")))));
    Path cluster = report("cluster-40.json", 40, 45, 1.6, 1.5);
    Path held = report("cluster-70.json", 70, 45, 1.9, 2.0);
    Path missed = report("cluster-80.json", 80, 70, 2.0, 2.2);
    Path json = dir.resolve("plan-cluster.json");

    int code = cli.run("plan-cluster", "--one-node", sweep.toString(), "--cluster", cluster + "," + held + "," + missed,
        "--cores", "2",
        "--out", json.toString());

    assertThat(code).isZero();
    // At 40 msg/s: session 0.1 + 0.08 = 0.18, cassandra 0.06 + 0.12 = 0.18; measured 0.16 and 0.15.
    assertThat(cli.out())
        .contains("one-node runs: 2 at 100, 200 acked msg/s")
        .contains("cassandra  3 x cassandra(r): 3 store nodes; each of the 3 replicas (RF 3) applies every write")
        .contains("session    2 x session(r / 2): 2 instances; the instances share the messages")
        .contains("at 40 msg/s: 0.360 cores")
        .contains("budget: 0.520 cores = 26% of 2 cores, halfway between 0.370 (held) and 0.670 (missed)")
        .contains("    total      measured 0.310, predicted 0.360 cores (+16.1%; 18.6 and 21.6 CPU-s a minute)")
        .contains("against 70 measured (held at 70 msg/s and missed at 80): +2.9%, within ±20% (60.0 to 90.0 "
            + "msg/s)")
        .contains("within ±20%: yes");
    Map<String, Object> written = Json.parseObject(Files.readString(json));
    assertThat(written).containsEntry("kind", "plan_cluster").containsEntry("within_tolerance", true);
    assertThat(JsonPaths.object(written, "kinds")).containsOnlyKeys("cassandra", "session");
    Map<String, Object> session = JsonPaths.object(written, "kinds.session");
    assertThat(session).containsEntry("processes", 2L).containsEntry("work_factor", 1L);
    assertThat((double) session.get("cluster_cores_without_messages")).as("two sessions at 0.05 cores")
        .isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> points = (List<Map<String, Object>>) session.get("one_node_points");
    assertThat(points).hasSize(2);
    assertThat(points.get(0).keySet()).containsExactly("acked_per_s", "cores", "runs");
  }

  @Test
  void should_leave_the_store_sync_out_unless_the_cluster_syncs_each_write_or_has_one_store_node() throws Exception {
    String runs = syncReport("a.json", 100, 1.2, 0.4) + "," + syncReport("b.json", 200, 2.2, 0.7);

    assertThat(storeSync(runs)).isEqualTo("periodic");
    assertThat(cli.out()).contains("cassandra-commit-log-sync none: cluster nodes sync their commit log");
    assertThat(storeSync(runs, "--store-syncs-each-write")).isEqualTo("each_write");
    assertThat(storeSync(runs, "--store-nodes", "1", "--replication", "1")).as("a lone node syncs before it answers")
        .isEqualTo("each_write");
  }

  @Test
  void should_be_listed_with_its_options() {
    assertThat(cli.run("plan-cluster", "--help")).isZero();
    assertThat(cli.out()).contains("--one-node").contains("--cluster").contains("--rates").contains("--p99-ms")
        .contains("--cores").contains("--tolerance").contains("--instances").contains("--out");
  }

  /** The shape's store sync in the JSON of a plan-cluster run over {@code runs} with {@code options}. */
  private String storeSync(String runs, String... options) throws Exception {
    Path json = Files.createTempFile(dir, "plan", ".json");
    List<String> args = new ArrayList<>(List.of("plan-cluster", "--one-node", runs, "--out", json.toString()));
    args.addAll(List.of(options));
    assertThat(cli.run(args.toArray(String[]::new))).isZero();
    return String.valueOf(JsonPaths.object(Json.parseObject(Files.readString(json)), "shape").get("store_sync"));
  }

  private Path syncReport(String name, double acked, double cassandraSeconds, double syncSeconds) throws Exception {
    return RunReports.written(dir.resolve(name), RunReports.withThreadGroups(RunReports.run(acked, 30, true,
        Map.of("cassandra-4343", cassandraSeconds), 10), Map.of("cassandra-4343", Map.of("COMMIT-LOG-WRIT",
        syncSeconds))));
  }

  private Path report(String name, double acked, double p99, double sessionSeconds, double cassandraSeconds)
      throws Exception {
    return RunReports.written(dir.resolve(name), RunReports.run(acked, p99, true,
        Map.of("session-4242", sessionSeconds, "cassandra-4343", cassandraSeconds), 10));
  }
}
