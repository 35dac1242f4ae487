package dev.messenger.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsScraperTest {
  private static final String BEFORE = """
      # HELP messenger_history_cql_write_duration_seconds Duration of history writes
      # TYPE messenger_history_cql_write_duration_seconds histogram
      messenger_history_cql_write_duration_seconds_bucket{op="commit",le="0.005"} 3
      messenger_history_cql_write_duration_seconds_count{op="commit"} 10
      messenger_history_cql_write_duration_seconds_sum{op="commit"} 0.1
      messenger_router_messages_committed_total 10.0
      """;
  private static final String AFTER = """
      messenger_history_cql_write_duration_seconds_count{op="commit"} 110
      messenger_history_cql_write_duration_seconds_sum{op="commit"} 1.1
      messenger_history_cql_write_duration_seconds_count{op="fan_out"} 0
      messenger_router_messages_committed_total 110.0
      """;

  @Test
  void should_report_the_mean_of_each_duration_and_the_increase_of_each_counter_over_the_window() {
    Map<String, Object> difference =
        MetricsScraper.difference(MetricsScraper.parse(BEFORE), MetricsScraper.parse(AFTER));

    assertThat(difference.get("durations")).isEqualTo(Map.of(
        "messenger_history_cql_write_duration_seconds{op=\"commit\"}", Map.of("count", 100L, "mean_ms", 10.0)));
    assertThat(difference.get("counters")).isEqualTo(Map.of("messenger_router_messages_committed_total", 100L));
  }
}
