package dev.messenger.loadgen.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.loadgen.presence.PresenceLedger.Kind;
import dev.messenger.loadgen.report.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChurnReportTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;

  private static ChurnResult result() {
    PresenceLedger ledger = new PresenceLedger(List.of("pc-1-c0"), S, 5 * S, 500 * MS);
    ledger.watch(0, new int[] {0});
    ledger.notification(0, "pc-1-c0", false, 0);
    ledger.window(0, 0, 10 * S);
    ledger.transition(0, Kind.CONNECT, S);
    ledger.notification(0, "pc-1-c0", true, 2 * S + 150 * MS);
    ledger.transition(0, Kind.DISCONNECT, 3 * S);
    ChurnSettings settings = ChurnSettings.defaults().withPrefix("pc-1").withPopulation(1, 1, 1).withSeed(9);
    return new ChurnResult(settings, new ChurnTarget(List.of("127.0.0.1:7100"), "k", true, 1), ledger.tally(), 0,
        3, 1.5, Map.of("total", 0L));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @Test
  void should_report_counts_fanout_and_latencies_under_the_agreed_names() {
    Map<String, Object> json = ChurnReport.toJson(result());

    assertThat(json).containsKeys("scenario", "transitions", "notifications", "fanout_per_s", "latency_ms",
        "latency_minus_configured_delay_ms", "errors", "checks");
    assertThat(json.get("transitions")).isEqualTo(2L);
    assertThat(map(json.get("transition_counts"))).containsEntry("connects", 1L).containsEntry("disconnects", 1L)
        .containsEntry("skipped_arrivals", 3L);
    assertThat(map(json.get("notifications"))).containsEntry("expected", 2L).containsEntry("received", 1L)
        .containsEntry("missing", 1L)
        .containsEntry("unexpected", 0L);
    assertThat(json.get("fanout_per_s")).isEqualTo(0.1);
    Map<String, Object> online = map(map(json.get("latency_ms")).get("online"));
    assertThat(online).containsOnlyKeys("count", "p50", "p90", "p99", "p999", "max");
    assertThat(online.get("p50")).isInstanceOfSatisfying(Double.class,
        p50 -> assertThat(p50).isBetween(1_149.0, 1_151.0));
    Map<String, Object> net = map(map(json.get("latency_minus_configured_delay_ms")).get("online"));
    assertThat(net.get("p50")).isInstanceOfSatisfying(Double.class, p50 -> assertThat(p50).isBetween(149.0, 151.0));
    assertThat(map(json.get("checks"))).containsEntry("passed", false);
  }

  @Test
  void should_write_valid_looking_json_and_a_readable_summary() {
    String text = Json.write(ChurnReport.toJson(result()));
    String summary = ChurnReport.summary(result());

    assertThat(text).startsWith("{\n  \"scenario\": {\n    \"name\": \"presence-churn\"")
        .contains("\"fanout_per_s\": 0.1,", "\"p999\":", "\"passed\": false").endsWith("}\n");
    assertThat(summary).contains("notifications  expected 2  received 1  missing 1  unexpected 0",
        "latency ONLINE  p50 1,15", "minus online delay 1,000 ms: p50 15", "FAILED: 1 expected notifications missing");
  }

  @Test
  void should_escape_strings_in_json() {
    assertThat(Json.write(Map.of("a", List.of("q\"\\\n\u0001", 1.5, 2L, true))))
        .isEqualTo("{\n  \"a\": [\"q\\\"\\\\\\n\\u0001\", 1.5, 2, true]\n}\n");
  }
}
