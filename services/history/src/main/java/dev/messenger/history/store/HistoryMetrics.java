package dev.messenger.history.store;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Metrics of the history store. A registry refuses a second registration of a name, so {@link #of} hands out
 * one instance per registry: several stores opened on one registry (router and session in one process)
 * share it. Labels are bounded: fixed operation names.
 */
public final class HistoryMetrics {
  private static final Map<PrometheusRegistry, HistoryMetrics> BY_REGISTRY = new WeakHashMap<>();

  private final Histogram writes;
  private final Histogram reads;
  private final Counter rowsWritten;
  private final Counter projectionRequests;
  private final Counter errors;
  private final Counter fencedRowsSkipped;

  /** The metrics registered in {@code registry}, registering them on first use. */
  public static HistoryMetrics of(PrometheusRegistry registry) {
    synchronized (BY_REGISTRY) {
      return BY_REGISTRY.computeIfAbsent(registry, HistoryMetrics::new);
    }
  }

  private HistoryMetrics(PrometheusRegistry registry) {
    this.writes =
        Histogram.builder()
            .name("messenger_history_cql_write_duration_seconds")
            .help("Duration of history writes to CQL, by operation")
            .labelNames("op")
            .register(registry);
    this.reads =
        Histogram.builder()
            .name("messenger_history_cql_read_duration_seconds")
            .help("Duration of history reads from CQL, by operation")
            .labelNames("op")
            .register(registry);
    this.rowsWritten =
        Counter.builder()
            .name("messenger_history_cql_rows_written_total")
            .help("Rows the write path wrote (log, projection), by table: divided by the router's "
                + "messenger_router_messages_committed_total, the store cost of a message")
            .labelNames("table")
            .register(registry);
    this.projectionRequests =
        Counter.builder()
            .name("messenger_history_projection_requests_total")
            .help("CQL requests the projection sent (rows of several partitions and conversations share one): "
                + "divided by messages committed, its request cost of a message")
            .register(registry);
    this.errors =
        Counter.builder()
            .name("messenger_history_cql_errors_total")
            .help("CQL reads and writes that failed (timeouts, unavailable replicas, rejected statements), by "
                + "operation")
            .labelNames("op")
            .register(registry);
    this.fencedRowsSkipped =
        Counter.builder()
            .name("messenger_history_fenced_log_rows_skipped_total")
            .help("Loads of a log head that found rows a fenced-out router wrote past a later owner's seal "
                + "(never committed) and skipped them")
            .register(registry);
  }

  /** Times an asynchronous write; {@code op} must be a fixed name. */
  public <T> CompletionStage<T> write(String op, Supplier<CompletionStage<T>> action) {
    return timed(writes, op, action);
  }

  /** Times an asynchronous read; {@code op} must be a fixed name. */
  public <T> CompletionStage<T> read(String op, Supplier<CompletionStage<T>> action) {
    return timed(reads, op, action);
  }

  /** Log rows written: counted per write, so a repeated write counts again (the commit is the router's count). */
  public void logRowsWritten(int messages) {
    rowsWritten("conversation_log", messages);
  }

  public void fencedRowsSkipped() {
    fencedRowsSkipped.inc();
  }

  public void projectionRequests(int requests) {
    projectionRequests.inc(requests);
  }

  /** Rows written to {@code table}, a fixed name. */
  public void rowsWritten(String table, int rows) {
    rowsWritten.labelValues(table).inc(rows);
  }

  private <T> CompletionStage<T> timed(Histogram histogram, String op, Supplier<CompletionStage<T>> action) {
    long start = System.nanoTime();
    var failures = errors.labelValues(op); // present at 0 from an operation's first use
    return action.get().whenComplete((r, e) -> {
      histogram.labelValues(op).observe((System.nanoTime() - start) / 1e9);
      if (e != null) {
        failures.inc();
      }
    });
  }
}
