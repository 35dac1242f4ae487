package dev.messenger.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.messenger.loadgen.run.ConnectionStats;
import dev.messenger.loadgen.run.DeliveryKinds;
import dev.messenger.loadgen.run.RunResult;
import dev.messenger.loadgen.run.Scenario;
import dev.messenger.loadgen.run.SecondSample;
import dev.messenger.loadgen.run.Tally;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class RunReportTest {
  private static Histogram latencies(long... micros) {
    Histogram h = Histograms.newHistogram();
    for (long m : micros) {
      h.recordValue(m);
    }
    return h;
  }

  private static RunResult part(String shard, long acked, long lost) {
    Tally tally = new Tally(acked, 0, acked, acked, 0, acked * 2, acked * 2 - lost, acked * 2 - lost, lost,
        lost, lost, lost, 0, 0, 0);
    List<SecondSample> series = List.of(
        new SecondSample(1, "measure", acked / 2, acked / 2, acked, 0, 0, 10, latencies(1000), latencies(2000), 1, 2),
        new SecondSample(2, "measure", acked / 2, acked / 2, acked - lost, 0, 0, 10, latencies(3000),
            latencies(4000), acked / 10, acked / 20));
    return new RunResult("run1", Instant.parse("2026-01-01T00:00:00Z"),
        Scenario.of(20, 1, 1, Duration.ofSeconds(2)), Map.of("bootstrap", List.of("127.0.0.1:7100")), shard, 2.0,
        tally, acked, acked, acked * 2, latencies(1000, 2000, 3000), latencies(5000, 6000),
        new DeliveryKinds(latencies(5000), latencies(6000), latencies(6000), latencies(5000),
            latencies(4000)), series,
        new ConnectionStats(10, 10, 10, 0, 0, 10, 10, 10, 1, Map.of("auto", 10), 1.5), Map.of("UNAVAILABLE", 2L),
        Map.of("UNAVAILABLE/X", 2L), 0, 0, 0.5, Map.of(), Map.of(), null);
  }

  @Test
  void should_have_the_fields_planners_rely_on() {
    Map<String, Object> report = Json.parseObject(Json.write(RunReport.toJson(part("0/1", 100, 0), false,
        Optional.empty())));

    for (String path : List.of("scenario.users", "connections.opened", "connections.failed", "connections.peak",
        "messages.sent", "messages.acked", "messages.delivered", "messages.expected_deliveries", "messages.lost",
        "messages.duplicated", "messages.out_of_order", "throughput.acked_per_s", "throughput.delivered_per_s",
        "latency_ms.ack.p50", "latency_ms.ack.p90", "latency_ms.ack.p99", "latency_ms.ack.p999", "latency_ms.ack.max",
        "latency_ms.delivery.p50", "latency_ms.delivery.p999", "errors.UNAVAILABLE")) {
      assertThat(JsonPaths.numberOr(report, path)).as(path).isPresent();
    }
    assertThat(JsonPaths.number(report, "throughput.acked_per_s")).isEqualTo(50.0);
    assertThat(JsonPaths.number(report, "latency_ms.ack.p50")).isEqualTo(2.0);
    assertThat(JsonPaths.find(report, "checks.passed")).contains(true);
  }

  @Test
  void should_merge_the_parts_of_several_processes_exactly() {
    RunResult a = RunReport.fromJson(Json.parseObject(Json.write(RunReport.toJson(part("0/2", 100, 0), true,
        Optional.empty()))));
    RunResult b = RunReport.fromJson(Json.parseObject(Json.write(RunReport.toJson(part("1/2", 60, 3), true,
        Optional.empty()))));

    RunResult merged = RunReport.merge(List.of(a, b));

    assertThat(merged.tally().acked()).isEqualTo(160);
    assertThat(merged.tally().lost()).isEqualTo(3);
    assertThat(merged.ack().getTotalCount()).isEqualTo(6);
    assertThat(merged.series()).hasSize(2);
    assertThat(merged.series().get(1).delivered()).isEqualTo(157);
    assertThat(merged.series().get(0).ack().getTotalCount()).isEqualTo(2);
    assertThat(merged.connections().peak()).isEqualTo(20);
    Map<String, Object> report = Json.parseObject(Json.write(RunReport.toJson(merged, false, Optional.empty())));
    assertThat(JsonPaths.number(report, "connections.reconnects_in_series")).as("1 + 10 + 1 + 6").isEqualTo(18.0);
    assertThat(JsonPaths.number(report, "connections.peak_reconnects_per_s")).isEqualTo(16.0);
    assertThat(JsonPaths.number(report, "connections.peak_reconnects_at_s")).isEqualTo(2.0);
    assertThat(JsonPaths.number(report, "connections.peak_catch_ups_per_s")).isEqualTo(8.0);
    assertThat(SummaryText.of(report)).contains("reconnects   18 while sending, peak 16/s at 2 s");
    assertThat(merged.errors()).containsEntry("UNAVAILABLE", 4L);
    assertThat(merged.deliveryKinds().direct().getTotalCount()).isEqualTo(2);
    assertThat(merged.deliveryKinds().groupLastMember().getValueAtPercentile(99)).isBetween(5990L, 6010L);
    assertThat(RunReport.checks(merged.tally(), merged.connections())).containsEntry("passed", false);
  }

  @Test
  void should_give_the_whole_systems_cpu_per_acknowledged_message_of_the_window() {
    Map<String, Object> report = RunReport.toJson(part("0/1", 100, 0), false, Optional.empty());
    report.put("server", Map.of("metrics_over_window", Map.of("process_cpu",
        Map.of("cpu_s", Map.of("router", 0.3, "session", 0.2), "total_cpu_s", 0.5, "window_s", 2.0))));

    assertThat(SummaryText.of(report)).contains("server CPU   0.5 CPU-s over the 2 s window, 5.00 ms per acknowledged message")
        .doesNotContain("JIT compilers");
  }

  @Test
  void should_say_how_the_deployments_threads_were_scheduled() {
    Map<String, Object> report = RunReport.toJson(part("0/1", 100, 0), false, Optional.empty());
    report.put("server", Map.of("metrics_over_window", Map.of("scheduling", Map.of("total_voluntary_switches", 250L,
        "total_involuntary_switches", 12L, "total_run_queue_wait_s", 0.37))));

    // 100 acknowledged in the window, as the server CPU test's 5.00 ms a message of 0.5 CPU-s says.
    assertThat(SummaryText.of(report)).contains("scheduling   250 voluntary context switches (2.5 per acknowledged "
        + "message), 12 involuntary; threads waited 0.37 s for a core");
  }

  @Test
  void should_say_how_fast_the_machine_ran_the_fixed_job() {
    Map<String, Object> report = RunReport.toJson(part("0/1", 100, 0), false, Optional.empty());
    report.put("server", Map.of("metrics_over_window", Map.of("machine_speed",
        Map.of("before_run_job_cpu_us", 845.25, "before_run_jobs", 500, "all_cores_job_cpu_us", 1_190.0,
            "all_cores_threads", 2))));
    Map<String, Object> older = RunReport.toJson(part("0/1", 100, 0), false, Optional.empty());
    older.put("server", Map.of("metrics_over_window", Map.of("machine_speed",
        Map.of("before_run_job_cpu_us", 845.25, "before_run_jobs", 500))));

    assertThat(SummaryText.of(report)).contains("machine      a fixed job took 845.3 us of CPU before the run alone on "
        + "one core, 1190.0 us on each of 2 cores at once (medians");
    assertThat(SummaryText.of(older)).contains("845.3 us of CPU before the run alone on one core (medians")
        .doesNotContain("at once");
    assertThat(SummaryText.of(RunReport.toJson(part("0/1", 100, 0), false, Optional.empty())))
        .doesNotContain("a fixed job");
  }

  @Test
  void should_say_how_much_of_the_cpu_the_jit_compilers_and_the_garbage_collector_took() {
    Map<String, Object> report = RunReport.toJson(part("0/1", 100, 0), false, Optional.empty());
    report.put("server", Map.of("metrics_over_window", Map.of("process_cpu",
        Map.of("cpu_s", Map.of("router", 0.3, "session", 0.2), "total_cpu_s", 0.5, "window_s", 2.0,
            "jit_cpu_s", Map.of("router", 0.1), "total_jit_cpu_s", 0.1,
            "gc_cpu_s", Map.of("router", 0.05), "total_gc_cpu_s", 0.05))));

    assertThat(SummaryText.of(report))
        .contains("of which    JIT compilers 0.1 CPU-s {router=0.1}, garbage collector 0.1 CPU-s {router=0.05}");
  }

  @Test
  void should_show_where_the_busy_processes_cpu_went_by_thread_group() {
    Map<String, Object> report = RunReport.toJson(part("0/1", 100, 0), false, Optional.empty());
    Map<String, Object> groups = new java.util.LinkedHashMap<>();
    groups.put("cassandra", Map.of("store stage workers", 3.5));
    groups.put("router", Map.of("nats", 0.1));
    report.put("server", Map.of("metrics_over_window", Map.of("process_cpu",
        Map.of("cpu_s", Map.of("cassandra", 9.0, "router", 1.0), "total_cpu_s", 10.0, "window_s", 2.0,
            "thread_groups_cpu_s", groups))));

    assertThat(SummaryText.of(report)).contains("by thread   cassandra 9.0 CPU-s: {store stage workers=3.5}")
        .as("a process under a fifth of the CPU").doesNotContain("by thread   router");
  }

  @Test
  void should_draw_a_picture_that_is_well_formed_svg() throws Exception {
    Map<String, Object> report = RunReport.toJson(part("0/1", 100, 0), false, Optional.empty());

    String svg = SvgChart.of(report);

    DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(svg).contains("<polyline").contains("delivery p99").contains("delivered/s");
    assertThat(SummaryText.of(report)).contains("lost 0").contains("PASSED")
        .contains(" of 1:1").contains(" of group").contains(" group>last");
    assertThat(JsonPaths.number(report, "latency_ms.delivery_1to1.p50")).isCloseTo(5.0, within(0.01));
  }
}
