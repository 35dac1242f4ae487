package dev.messenger.router;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** The router's own metrics. */
final class RouterMetrics {
  private final Counter committed;
  private final Counter fenced;
  private final Counter writeRetries;
  private final Counter projected;
  private final Counter projectionFailures;
  private final Counter publishFailures;
  private final Counter submissions;

  RouterMetrics(PrometheusRegistry registry, IntSupplier ownedShards) {
    this(registry, ownedShards, () -> 0);
  }

  RouterMetrics(PrometheusRegistry registry, IntSupplier ownedShards, LongSupplier projectionLag) {
    committed = Counter.builder().name("messenger_router_messages_committed_total")
        .help("messages given a sequence number and committed").register(registry);
    fenced = Counter.builder().name("messenger_router_fenced_batches_total")
        .help("batches not committed because another router had raised the shard's epoch").register(registry);
    writeRetries = Counter.builder().name("messenger_router_log_write_retries_total")
        .help("log writes repeated because their outcome was unknown").register(registry);
    projected = Counter.builder().name("messenger_router_messages_projected_total")
        .help("committed messages applied to per-user history").register(registry);
    projectionFailures = Counter.builder().name("messenger_router_projection_failures_total")
        .help("projection attempts that failed and will be retried").register(registry);
    publishFailures = Counter.builder().name("messenger_router_publish_failures_total")
        .help("live deliveries the bus refused (devices catch up from history)").register(registry);
    submissions = Counter.builder().name("messenger_router_submissions_total")
        .help("submissions received, by outcome").labelNames("outcome").register(registry);
    GaugeWithCallback.builder().name("messenger_router_owned_shards").help("shards this router owns")
        .callback(cb -> cb.call(ownedShards.getAsInt())).register(registry);
    GaugeWithCallback.builder().name("messenger_router_projection_lag_messages")
        .help("committed messages not yet projected, over the conversations this router holds")
        .callback(cb -> cb.call(projectionLag.getAsLong())).register(registry);
  }

  void committed(int n) {
    committed.inc(n);
  }

  void fenced() {
    fenced.inc();
  }

  void writeRetried() {
    writeRetries.inc();
  }

  void projected(int n) {
    projected.inc(n);
  }

  void projectionFailed() {
    projectionFailures.inc();
  }

  void publishFailed() {
    publishFailures.inc();
  }

  void submission(String outcome) {
    submissions.labelValues(outcome).inc();
  }
}
