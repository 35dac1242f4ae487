package dev.messenger.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.report.RunReport;
import dev.messenger.loadgen.run.ConnectionStats;
import dev.messenger.loadgen.run.DeliveryKinds;
import dev.messenger.loadgen.run.RunResult;
import dev.messenger.loadgen.run.Scenario;
import dev.messenger.loadgen.run.Tally;
import dev.messenger.loadgen.report.Histograms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LoadgenMainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = LoadgenMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void should_refuse_a_group_share_outside_0_to_1() {
    assertThat(run("run", "--users", "10", "--group-share", "1.3")).isEqualTo(2);
    assertThat(err.toString()).contains("--group-share must be between 0 and 1");
  }

  @Test
  void should_say_when_one_process_cannot_hold_the_streams_before_connecting() {
    assertThat(run("run", "--users", "50000", "--target", "127.0.0.1:1")).isEqualTo(2);
    assertThat(err.toString()).contains("50,000 TCP connections").contains("--streams-per-connection")
        .contains("--processes");
  }

  @Test
  void should_plan_from_a_report_and_a_baseline(@TempDir Path dir) throws Exception {
    Tally tally = new Tally(10_000, 0, 10_000, 10_000, 0, 20_000, 20_000, 20_000, 0, 0, 0, 0, 0, 0, 0);
    var latency = Histograms.newHistogram();
    latency.recordValue(2_000);
    RunResult result = new RunResult("r1", Instant.now(), Scenario.of(2000, 1, 0.5, Duration.ofSeconds(10)),
        Map.of(), "0/1", 10, tally, 10_000, 10_000, 20_000, latency, latency, DeliveryKinds.empty(), List.of(),
        new ConnectionStats(2000, 2000, 2000, 0, 0, 2000, 2000, 2000, 1, Map.of(), 2), Map.of(), Map.of(), 0, 0, 0,
        Map.of(), Map.of(), null);
    Path report = dir.resolve("report.json");
    Files.writeString(report, Json.write(RunReport.toJson(result, false, Optional.empty())));
    Path baseline = dir.resolve("baseline.json");
    Files.writeString(baseline, "{\"kind\": \"baseline\", \"parts\": {"
        + "\"cql_insert\": {\"throughput\": {\"rows_per_s\": 40000}},"
        + "\"cql_lwt_insert\": {\"throughput\": {\"rows_per_s\": 4000}},"
        + "\"nats_pubsub\": {\"throughput\": {\"msgs_per_s\": 1500000}}}}");

    int code = run("plan", "--report", report.toString(), "--baseline", baseline.toString(),
        "--out", dir.resolve("plan.json").toString());

    assertThat(code).isZero();
    assertThat(out.toString()).contains("session servers").contains("routers").contains("history / ScyllaDB nodes")
        .contains("NATS servers").contains("bounded by").contains("694,444 messages/s");
    assertThat(Json.parseObject(Files.readString(dir.resolve("plan.json")))).containsKey("tiers");
  }

  @Test
  void should_list_its_subcommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("run").contains("baseline").contains("plan").contains("sweep");
  }
}
