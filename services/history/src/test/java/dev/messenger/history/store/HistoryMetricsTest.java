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

  @Test
  void should_count_failed_operations_by_operation() {
    PrometheusRegistry registry = new PrometheusRegistry();
    HistoryMetrics metrics = HistoryMetrics.of(registry);

    metrics.write("commit", () -> CompletableFuture.failedFuture(new IllegalStateException("write timed out")));
    metrics.read("since", () -> CompletableFuture.failedFuture(new IllegalStateException("unavailable")));
    metrics.read("since", () -> CompletableFuture.completedFuture(true));

    assertThat(errors(registry, "commit")).isEqualTo(1);
    assertThat(errors(registry, "since")).isEqualTo(1);
  }

  private static double errors(PrometheusRegistry registry, String op) {
    return registry.scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals("messenger_history_cql_errors"))
        .map(s -> (io.prometheus.metrics.model.snapshots.CounterSnapshot) s)
        .flatMap(s -> s.getDataPoints().stream())
        .filter(p -> p.getLabels().get("op").equals(op))
        .mapToDouble(io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }
}
