package dev.messenger.history.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HistoryMetricsTest {
  @Test
  void should_share_one_set_of_metrics_per_registry() {
    PrometheusRegistry registry = new PrometheusRegistry();

    assertThat(HistoryMetrics.of(registry)).isSameAs(HistoryMetrics.of(registry));
    assertThat(HistoryMetrics.of(new PrometheusRegistry())).isNotSameAs(HistoryMetrics.of(registry));
  }

  @Test
  void should_time_operations_and_count_rows_but_leave_commits_to_the_router() {
    PrometheusRegistry registry = new PrometheusRegistry();
    HistoryMetrics metrics = HistoryMetrics.of(registry);

    metrics.logRowsWritten(3);
    metrics.write("commit", () -> CompletableFuture.completedFuture(true));

    assertThat(registry.scrape().stream().map(s -> s.getMetadata().getPrometheusName()))
        .contains(
            "messenger_history_cql_rows_written",
            "messenger_history_cql_write_duration_seconds",
            "messenger_history_cql_read_duration_seconds")
        .as("one name per fact: messenger_router_messages_committed_total counts commits")
        .doesNotContain("messenger_history_messages_committed");
  }
}
