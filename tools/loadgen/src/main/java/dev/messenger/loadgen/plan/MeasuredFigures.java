package dev.messenger.loadgen.plan;

import dev.messenger.loadgen.report.JsonPaths;
import java.util.Map;
import java.util.Optional;

/**
 * The measured figures a plan stands on: from a run report (what the deployment held end to end, and how
 * many nodes of each tier it had) and a baseline (what NATS and the CQL store do alone per node).
 *
 * @param ackedPerSecond messages acknowledged per second in the run
 * @param deliveredPerSecond deliveries per second in the run
 * @param deliveryP99Millis delivery p99 of the run (the latency the figures were held at)
 * @param peakStreams device streams the run held at once
 * @param heapPerStreamKib session-server heap per idle stream, when the run measured it
 * @param sessionServers session servers in the measured deployment
 * @param routers routers in the measured deployment
 * @param cqlInsertsPerSecond plain CQL inserts per second of one node (baseline), 0 when unknown
 * @param cqlLwtPerSecond conditional inserts per second of one node (baseline), 0 when unknown
 * @param natsPerSecond NATS messages per second of one server (baseline), 0 when unknown
 */
public record MeasuredFigures(
    double ackedPerSecond,
    double deliveredPerSecond,
    double deliveryP99Millis,
    double peakStreams,
    Optional<Double> heapPerStreamKib,
    int sessionServers,
    int routers,
    double cqlInsertsPerSecond,
    double cqlLwtPerSecond,
    double natsPerSecond) {

  public static MeasuredFigures from(Map<String, Object> report, Optional<Map<String, Object>> baseline,
      int sessionServers, int routers) {
    Map<String, Object> b = baseline.orElse(Map.of());
    return new MeasuredFigures(
        JsonPaths.number(report, "throughput.acked_per_s"),
        JsonPaths.number(report, "throughput.delivered_per_s"),
        JsonPaths.numberOr(report, "latency_ms.delivery.p99").orElse(0.0),
        JsonPaths.numberOr(report, "connections.peak").orElse(0.0),
        JsonPaths.numberOr(report, "server.heap_per_stream_kib"),
        sessionServers,
        routers,
        JsonPaths.numberOr(b, "parts.cql_insert.throughput.rows_per_s").orElse(0.0),
        JsonPaths.numberOr(b, "parts.cql_lwt_insert.throughput.rows_per_s").orElse(0.0),
        JsonPaths.numberOr(b, "parts.nats_pubsub.throughput.msgs_per_s").orElse(0.0));
  }
}
