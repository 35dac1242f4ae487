package dev.messenger.loadgen.report;

import dev.messenger.loadgen.run.ConnectionStats;
import dev.messenger.loadgen.run.DeliveryKinds;
import dev.messenger.loadgen.run.RunResult;
import dev.messenger.loadgen.run.Scenario;
import dev.messenger.loadgen.run.SecondSample;
import dev.messenger.loadgen.run.Tally;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * report.json of a run: builds it from a {@link RunResult}, reads it back (to merge the reports of
 * several processes) and checks the correctness counts.
 */
public final class RunReport {
  private RunReport() {}

  /**
   * The report. {@code partial} keeps per-second histograms so that process reports can be merged;
   * {@code baseline}, when given, adds each end-to-end figure as a fraction of the raw limits.
   */
  public static Map<String, Object> toJson(RunResult r, boolean partial, Optional<Map<String, Object>> baseline) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("kind", partial ? "run-part" : "run");
    root.put("tool", "messenger-loadgen 0.1");
    root.put("run_id", r.runId());
    root.put("started_at", r.startedAt().toString());
    root.put("shard", r.shard());
    root.put("scenario", r.scenario().toMap());
    root.put("target", r.target());
    root.put("machine", machine());
    Map<String, Object> connections = new LinkedHashMap<>(r.connections().toMap());
    connections.putAll(ReconnectStorm.of(r.series()));
    root.put("connections", connections);
    root.put("messages", r.tally().toMap());
    Map<String, Object> throughput = new LinkedHashMap<>();
    throughput.put("window_s", r.windowSeconds());
    throughput.put("offered_per_s", r.scenario().totalRate());
    throughput.put("sent_per_s", round(r.sentPerSecond()));
    throughput.put("acked_per_s", round(r.ackedPerSecond()));
    throughput.put("delivered_per_s", round(r.deliveredPerSecond()));
    throughput.put("sent_in_window", r.sentInWindow());
    throughput.put("acked_in_window", r.ackedInWindow());
    throughput.put("delivered_in_window", r.deliveredInWindow());
    root.put("throughput", throughput);
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("ack", Histograms.summaryMillis(r.ack()));
    latency.put("delivery", Histograms.summaryMillis(r.delivery()));
    latency.putAll(r.deliveryKinds().toMap(Histograms::summaryMillis));
    latency.put("measured_from", "scheduled send time (open loop)");
    root.put("latency_ms", latency);
    root.put("errors", r.errors());
    root.put("errors_by_reason", r.errorsByReason());
    Map<String, Object> client = new LinkedHashMap<>();
    client.put("redeliveries_dropped", r.redeliveriesDropped());
    client.put("gaps_detected", r.gapsDetected());
    client.put("pacer_max_lag_ms", round(r.pacerMaxLagMillis()));
    root.put("client", client);
    root.put("checks", checks(r.tally(), r.connections()));
    if (!r.server().isEmpty()) {
      root.put("server", r.server());
    }
    root.put("loadgen_process", r.process());
    baseline.ifPresent(b -> root.put("baseline_fraction", BaselineFractions.of(r, b)));
    Map<String, Object> histograms = new LinkedHashMap<>();
    histograms.put("ack", Histograms.encode(r.ack()));
    histograms.put("delivery", Histograms.encode(r.delivery()));
    histograms.putAll(r.deliveryKinds().toMap(Histograms::encode));
    root.put("histograms_us", histograms);
    List<Object> series = new ArrayList<>();
    r.series().forEach(s -> series.add(s.toMap(partial)));
    root.put("series", series);
    return root;
  }

  /** Pass/fail of the counts that must be zero on a correct deployment, and of the connect ramp. */
  public static Map<String, Object> checks(Tally t, ConnectionStats c) {
    List<Object> failures = new ArrayList<>();
    if (c.devicesConnected() < c.devices()) {
      failures.add((c.devices() - c.devicesConnected()) + " of " + c.devices()
          + " devices never connected and caught up during the ramp");
    }
    if (t.lost() > 0) {
      failures.add(t.lost() + " deliveries of acknowledged messages lost (" + t.lostMessages() + " messages; "
          + t.lostBehind() + " at devices that received nothing later in that conversation)");
    }
    if (t.duplicated() > 0) {
      failures.add(t.duplicated() + " duplicated deliveries");
    }
    if (t.outOfOrder() > 0) {
      failures.add(t.outOfOrder() + " deliveries out of order");
    }
    if (t.unresolved() > 0) {
      failures.add(t.unresolved() + " sends still unanswered after the drain");
    }
    if (t.foreign() > 0) {
      failures.add(t.foreign() + " deliveries no send explains");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("passed", failures.isEmpty());
    map.put("failures", failures);
    return map;
  }

  /** Reads a report (written with {@code partial = true}) back into a result without ledger. */
  public static RunResult fromJson(Map<String, Object> root) {
    Map<String, Object> s = JsonPaths.object(root, "scenario");
    Scenario scenario = Scenario.fromMap(s);
    List<SecondSample> series = new ArrayList<>();
    for (Object o : JsonPaths.list(root, "series")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) o;
      series.add(SecondSample.fromMap(m));
    }
    return new RunResult(
        JsonPaths.string(root, "run_id", ""),
        Instant.parse(JsonPaths.string(root, "started_at", Instant.EPOCH.toString())),
        scenario,
        JsonPaths.object(root, "target"),
        JsonPaths.string(root, "shard", ""),
        JsonPaths.number(root, "throughput.window_s"),
        Tally.fromMap(JsonPaths.object(root, "messages")),
        JsonPaths.longValue(root, "throughput.sent_in_window"),
        JsonPaths.longValue(root, "throughput.acked_in_window"),
        JsonPaths.longValue(root, "throughput.delivered_in_window"),
        Histograms.decode(JsonPaths.string(root, "histograms_us.ack", "")),
        Histograms.decode(JsonPaths.string(root, "histograms_us.delivery", "")),
        DeliveryKinds.decode(key -> JsonPaths.string(root, "histograms_us." + key, "")),
        series,
        ConnectionStats.fromMap(JsonPaths.object(root, "connections")),
        JsonPaths.object(root, "errors"),
        JsonPaths.object(root, "errors_by_reason"),
        JsonPaths.longValue(root, "client.redeliveries_dropped"),
        JsonPaths.longValue(root, "client.gaps_detected"),
        JsonPaths.number(root, "client.pacer_max_lag_ms"),
        JsonPaths.object(root, "server"),
        JsonPaths.object(root, "loadgen_process"),
        null);
  }

  /** The reports of every process of one run, as one. */
  public static RunResult merge(List<RunResult> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge");
    }
    RunResult first = parts.get(0);
    Tally tally = Tally.ZERO;
    ConnectionStats connections = null;
    var ack = Histograms.newHistogram();
    var delivery = Histograms.newHistogram();
    DeliveryKinds kinds = DeliveryKinds.empty();
    Map<Integer, SecondSample> series = new TreeMap<>();
    Map<String, Object> errors = new TreeMap<>();
    Map<String, Object> reasons = new TreeMap<>();
    long sent = 0;
    long acked = 0;
    long delivered = 0;
    long redeliveries = 0;
    long gaps = 0;
    double lag = 0;
    Map<String, Object> server = new LinkedHashMap<>();
    Map<String, Object> processes = new LinkedHashMap<>();
    for (RunResult p : parts) {
      tally = tally.plus(p.tally());
      connections = connections == null ? p.connections() : connections.plus(p.connections());
      ack.add(p.ack());
      delivery.add(p.delivery());
      kinds.add(p.deliveryKinds());
      p.series().forEach(x -> series.merge(x.second(), x, SecondSample::plus));
      addCounts(errors, p.errors());
      addCounts(reasons, p.errorsByReason());
      sent += p.sentInWindow();
      acked += p.ackedInWindow();
      delivered += p.deliveredInWindow();
      redeliveries += p.redeliveriesDropped();
      gaps += p.gapsDetected();
      lag = Math.max(lag, p.pacerMaxLagMillis());
      server.putAll(p.server());
      processes.put("process_" + processes.size(), p.process());
    }
    return new RunResult(first.runId(), first.startedAt(), first.scenario(), first.target(),
        "merged from " + parts.size() + " processes", first.windowSeconds(), tally, sent, acked, delivered, ack,
        delivery, kinds, List.copyOf(series.values()), connections, errors, reasons, redeliveries, gaps, lag, server,
        processes, null);
  }

  private static void addCounts(Map<String, Object> into, Map<String, Object> from) {
    from.forEach((k, v) -> into.merge(k, ((Number) v).longValue(), (a, b) -> ((Number) a).longValue()
        + ((Number) b).longValue()));
  }

  private static Map<String, Object> machine() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("cores", Runtime.getRuntime().availableProcessors());
    map.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    map.put("java", System.getProperty("java.version"));
    map.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    return map;
  }

  static double round(double value) {
    return Math.round(value * 10.0) / 10.0;
  }
}
