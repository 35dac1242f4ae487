package dev.messenger.router;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** The router's own metrics. */
final class RouterMetrics {
  /** What the router's gauges read at each scrape. */
  record Gauges(IntSupplier ownedShards, LongSupplier projectionLag, IntSupplier queuedSends,
      DoubleSupplier leaseAgeSeconds, IntSupplier repairBacklog, IntSupplier admitted, IntSupplier admissionLimit) {}

  /** Upper bounds in seconds for a shard's repair: none to read, a few conversations, thousands of them. */
  private static final double[] REPAIR_BUCKETS = {0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900};

  /** Upper bounds in seconds for an admitted send: milliseconds when healthy, seconds when queued. */
  private static final double[] SUBMIT_BUCKETS =
      {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final Counter committed;
  private final Counter fenced;
  private final CounterDataPoint confirmedByLease;
  private final CounterDataPoint confirmedByRead;
  private final Counter writeRetries;
  private final Counter projected;
  private final Counter projectionFailures;
  private final Counter publishFailures;
  private final Counter submissions;
  private final Histogram repairs;
  private final Histogram submitDuration;

  RouterMetrics(PrometheusRegistry registry, IntSupplier ownedShards) {
    this(registry, new Gauges(ownedShards, () -> 0, () -> 0, () -> 0, () -> 0, () -> 0, () -> 0));
  }

  RouterMetrics(PrometheusRegistry registry, Gauges gauges) {
    committed = Counter.builder().name("messenger_router_messages_committed_total")
        .help("messages given a sequence number and committed (written to the log under a confirmed epoch)")
        .register(registry);
    fenced = Counter.builder().name("messenger_router_fenced_batches_total")
        .help("batches not committed because another router had raised the shard's epoch").register(registry);
    Counter confirmations = Counter.builder().name("messenger_router_commit_confirmations_total")
        .help("log writes confirmed as commits, by how: lease (the shard's etcd key was certainly still this "
            + "router's) or read (an epoch read)")
        .labelNames("by").register(registry);
    confirmedByLease = confirmations.labelValues("lease");
    confirmedByRead = confirmations.labelValues("read");
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
    repairs = Histogram.builder().name("messenger_router_projection_repair_duration_seconds")
        .help("from taking a shard until every conversation marked in its last two hours was checked and its "
            + "unprojected tail handed to projection")
        .classicOnly().classicUpperBounds(REPAIR_BUCKETS).register(registry);
    submitDuration = Histogram.builder().name("messenger_router_submit_duration_seconds")
        .help("from a submission's arrival at the router to its answer, for admitted submissions")
        .classicOnly().classicUpperBounds(SUBMIT_BUCKETS).register(registry);
    GaugeWithCallback.builder().name("messenger_router_owned_shards").help("shards this router owns")
        .callback(cb -> cb.call(gauges.ownedShards().getAsInt())).register(registry);
    GaugeWithCallback.builder().name("messenger_router_projection_lag_messages")
        .help("committed messages not yet projected, over the conversations this router holds")
        .callback(cb -> cb.call(gauges.projectionLag().getAsLong())).register(registry);
    GaugeWithCallback.builder().name("messenger_router_projection_repair_backlog_conversations")
        .help("conversations marked for projection on shards this router took over, not yet checked")
        .callback(cb -> cb.call(gauges.repairBacklog().getAsInt())).register(registry);
    GaugeWithCallback.builder().name("messenger_router_sequencer_queued_sends")
        .help("sends waiting in the sequencer for their conversation's next batch")
        .callback(cb -> cb.call(gauges.queuedSends().getAsInt())).register(registry);
    GaugeWithCallback.builder().name("messenger_router_lease_age_seconds")
        .help("seconds since this router's etcd lease was last renewed; past two thirds of the lease TTL the "
            + "router gives up its shards (NaN while it holds no lease)")
        .callback(cb -> cb.call(gauges.leaseAgeSeconds().getAsDouble())).register(registry);
    GaugeWithCallback.builder().name("messenger_router_admitted_sends")
        .help("sends admitted and not yet answered; at the admission limit further sends are refused OVERLOADED")
        .callback(cb -> cb.call(gauges.admitted().getAsInt())).register(registry);
    GaugeWithCallback.builder().name("messenger_router_admission_limit")
        .help("sends in progress the router admits now (adapts to their latency)")
        .callback(cb -> cb.call(gauges.admissionLimit().getAsInt())).register(registry);
  }

  void committed(int n) {
    committed.inc(n);
  }

  void fenced() {
    fenced.inc();
  }

  void confirmed(boolean byLease) {
    (byLease ? confirmedByLease : confirmedByRead).inc();
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

  void submitAnswered(long startNanos) {
    submitDuration.observe((System.nanoTime() - startNanos) / 1e9);
  }

  void repaired(long startNanos) {
    repairs.observe((System.nanoTime() - startNanos) / 1e9);
  }
}
