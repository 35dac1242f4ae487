package dev.messenger.loadgen.baseline;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.loadgen.plan.WritePath;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code loadgen baseline}: the raw limits our path is built from, measured on the same infrastructure in
 * the same run, each part alone: NATS (jnats), the CQL store (ScyllaDB driver) and gRPC (grpc-java).
 * Every part's figures are shaped like a run report's (throughput, latency_ms) so the end-to-end figures
 * read as a fraction of them.
 */
public final class Baseline {
  /** The parts that can be measured. */
  public static final List<String> PARTS = List.of("nats", "cql", "grpc");

  private final InfraSettings infra;
  private final BaselineSettings settings;
  private final String replication;
  private final ConsistencyLevel consistency;
  private final Clock clock;
  private final PrintWriter log;

  public Baseline(InfraSettings infra, BaselineSettings settings, String replication, ConsistencyLevel consistency,
      Clock clock, PrintWriter log) {
    this.infra = infra;
    this.settings = settings;
    this.replication = replication;
    this.consistency = consistency;
    this.clock = clock;
    this.log = log;
  }

  /** Measures the given parts ({@link #PARTS}) one after the other; returns baseline.json. */
  public Map<String, Object> measure(List<String> parts, String runId) throws IOException, InterruptedException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("kind", "baseline");
    root.put("tool", "messenger-loadgen 0.1");
    root.put("run_id", runId);
    root.put("started_at", clock.instant().toString());
    root.put("settings", settings.toMap());
    Map<String, Object> where = new LinkedHashMap<>();
    where.put("nats_url", infra.natsUrl());
    where.put("cql_contact_points", infra.cqlContactPoints().stream()
        .map(a -> a.getHostString() + ":" + a.getPort()).toList());
    where.put("cql_consistency", consistency.name());
    root.put("infrastructure", where);
    Map<String, Object> results = new LinkedHashMap<>();
    if (parts.contains("nats")) {
      NatsBaseline nats = new NatsBaseline(infra, settings, runId);
      results.put("nats_pubsub", step("NATS publish -> subscribe", nats::pubSub));
      results.put("nats_request_reply", step("NATS request-reply latency", nats::requestReply));
    }
    if (parts.contains("cql")) {
      try (CqlSession session = infra.connectCql();
          CqlBaseline cql = new CqlBaseline(session, settings, runId, replication, consistency)) {
        results.put("cql_insert", step("CQL inserts", cql::inserts));
        results.put("cql_lwt_insert", step("CQL conditional (LWT) inserts", cql::conditionalInserts));
      }
    }
    if (parts.contains("grpc")) {
      try (GrpcEchoBaseline grpc = new GrpcEchoBaseline(settings)) {
        results.put("grpc_echo", step("gRPC bidi echo", grpc::echo));
      }
    }
    root.put("parts", results);
    root.put("derived", derived(results));
    return root;
  }

  private interface Step {
    Map<String, Object> run() throws IOException, InterruptedException;
  }

  private Map<String, Object> step(String name, Step step) throws IOException, InterruptedException {
    log.printf("baseline: %s (%s s warm-up, %s s measured)...%n", name, settings.warmup().toSeconds(),
        settings.duration().toSeconds());
    log.flush();
    Map<String, Object> result = step.run();
    log.printf("baseline: %s: %s%n", name, result.get("throughput"));
    log.flush();
    return result;
  }

  /** The bounds a 1:1 message (one device per user) gets from each part, as run reports compare them. */
  private static Map<String, Object> derived(Map<String, Object> parts) {
    WritePath path = new WritePath(1);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows_per_message", path.rows());
    out.put("rows_per_message_breakdown", path.rowBreakdown());
    double inserts = number(parts, "cql_insert", "rows_per_s");
    double lwt = number(parts, "cql_lwt_insert", "rows_per_s");
    double nats = number(parts, "nats_pubsub", "msgs_per_s");
    out.put("cql_bound_messages_per_s", Math.round(path.cqlBound(inserts)));
    out.put("cql_lwt_aware_bound_messages_per_s", Math.round(path.cqlBoundWithLwt(inserts, lwt)));
    out.put("nats_messages_per_message", path.natsMessages());
    out.put("nats_bound_messages_per_s", Math.round(nats / path.natsMessages()));
    out.put("note", "for one device per user; run reports recompute these for their own devices per user");
    return out;
  }

  @SuppressWarnings("unchecked")
  private static double number(Map<String, Object> parts, String part, String key) {
    Object p = parts.get(part);
    if (!(p instanceof Map)) {
      return 0;
    }
    Object t = ((Map<String, Object>) p).get("throughput");
    Object v = t instanceof Map ? ((Map<String, Object>) t).get(key) : null;
    return v instanceof Number n ? n.doubleValue() : 0;
  }
}
