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
 * @param peakStreams device streams held at once on the measured session servers (the streams report's
 *     when given, else the run's)
 * @param heapPerStreamKib session-server heap per idle stream, when measured (streams report or run)
 * @param sessionCpuMillisPerMessage CPU the session server spent per acknowledged message over the window,
 *     from its own metrics (run --metrics), when known
 * @param routerCpuMillisPerMessage the same for the router
 * @param warnings what makes these figures weaker than they look (failed checks, no heap measurement)
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
    double natsPerSecond,
    Optional<Double> sessionCpuMillisPerMessage,
    Optional<Double> routerCpuMillisPerMessage,
    java.util.List<String> warnings) {

  public MeasuredFigures {
    warnings = java.util.List.copyOf(warnings);
  }

  /**
   * From a run report (throughput), an optional streams report (a run holding many idle streams with a
   * heap measurement, {@code run --rate 0 --server-pid}) and an optional baseline.
   */
  public static MeasuredFigures from(Map<String, Object> report, Optional<Map<String, Object>> streams,
      Optional<Map<String, Object>> baseline, int sessionServers, int routers) {
    Map<String, Object> b = baseline.orElse(Map.of());
    Map<String, Object> s = streams.orElse(report);
    java.util.List<String> warnings = new java.util.ArrayList<>();
    if (!Boolean.TRUE.equals(JsonPaths.find(report, "checks.passed").orElse(false))) {
      warnings.add("the run report's checks failed " + JsonPaths.list(report, "checks.failures")
          + ": its throughput was not held cleanly");
    }
    if (streams.isPresent() && !Boolean.TRUE.equals(JsonPaths.find(s, "checks.passed").orElse(false))) {
      warnings.add("the streams report's checks failed " + JsonPaths.list(s, "checks.failures"));
    }
    Optional<Double> heap = JsonPaths.numberOr(s, "server.heap_per_stream_kib");
    if (heap.isEmpty()) {
      warnings.add("no heap-per-stream measurement (give --streams-report of a run with --server-pid): the "
          + "streams bound is only what the run happened to hold");
    }
    return new MeasuredFigures(
        JsonPaths.number(report, "throughput.acked_per_s"),
        JsonPaths.number(report, "throughput.delivered_per_s"),
        JsonPaths.numberOr(report, "latency_ms.delivery.p99").orElse(0.0),
        JsonPaths.numberOr(s, "connections.peak").orElse(0.0),
        heap,
        sessionServers,
        routers,
        JsonPaths.numberOr(b, "parts.cql_insert.throughput.rows_per_s").orElse(0.0),
        JsonPaths.numberOr(b, "parts.cql_lwt_insert.throughput.rows_per_s").orElse(0.0),
        JsonPaths.numberOr(b, "parts.nats_pubsub.throughput.msgs_per_s").orElse(0.0),
        cpuPerMessage(report, "messenger_session_sends_total{outcome=\"acked\"}"),
        cpuPerMessage(report, "messenger_router_messages_committed_total"),
        warnings);
  }

  /**
   * CPU milliseconds per message of the service whose metrics count messages under {@code counter}:
   * its process_cpu_seconds_total increase over the window divided by that counter's increase.
   */
  @SuppressWarnings("unchecked")
  static Optional<Double> cpuPerMessage(Map<String, Object> report, String counter) {
    for (Object endpoint : JsonPaths.object(report, "server.metrics_over_window").values()) {
      if (!(endpoint instanceof Map)) {
        continue;
      }
      Map<String, Object> counters = JsonPaths.object((Map<String, Object>) endpoint, "counters");
      Object messages = counters.get(counter);
      Object cpu = counters.get("process_cpu_seconds_total");
      if (messages instanceof Number m && cpu instanceof Number c && m.doubleValue() > 0) {
        return Optional.of(c.doubleValue() * 1000 / m.doubleValue());
      }
    }
    return Optional.empty();
  }
}
