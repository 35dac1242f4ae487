package dev.messenger.loadgen.report;

import dev.messenger.loadgen.plan.WritePath;
import dev.messenger.loadgen.run.RunResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The end-to-end figures of a run as fractions of the raw limits measured by {@code loadgen baseline}:
 * how much of what the infrastructure can do alone our path delivers.
 */
public final class BaselineFractions {
  private BaselineFractions() {}

  public static Map<String, Object> of(RunResult run, Map<String, Object> baseline) {
    WritePath path = new WritePath(run.scenario().devicesPerUser());
    double inserts = JsonPaths.numberOr(baseline, "parts.cql_insert.throughput.rows_per_s").orElse(0.0);
    double lwt = JsonPaths.numberOr(baseline, "parts.cql_lwt_insert.throughput.rows_per_s").orElse(0.0);
    double nats = JsonPaths.numberOr(baseline, "parts.nats_pubsub.throughput.msgs_per_s").orElse(0.0);
    double echo = JsonPaths.numberOr(baseline, "parts.grpc_echo.throughput.msgs_per_s").orElse(0.0);
    double cqlBound = path.cqlBound(inserts);
    double cqlLwtBound = path.cqlBoundWithLwt(inserts, lwt);
    double natsBound = nats / path.natsMessages();
    double echoBound = echo / path.framesToDevices();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("baseline_started_at", JsonPaths.string(baseline, "started_at", ""));
    out.put("rows_per_message", path.rows());
    out.put("cql_inserts_per_s", RunReport.round(inserts));
    out.put("cql_bound_messages_per_s", RunReport.round(cqlBound));
    out.put("acked_fraction_of_cql_bound", ratio(run.ackedPerSecond(), cqlBound));
    out.put("cql_lwt_aware_bound_messages_per_s", RunReport.round(cqlLwtBound));
    out.put("acked_fraction_of_cql_lwt_aware_bound", ratio(run.ackedPerSecond(), cqlLwtBound));
    out.put("nats_messages_per_message", path.natsMessages());
    out.put("nats_bound_messages_per_s", RunReport.round(natsBound));
    out.put("acked_fraction_of_nats_bound", ratio(run.ackedPerSecond(), natsBound));
    out.put("frames_to_devices_per_message", path.framesToDevices());
    out.put("grpc_echo_bound_messages_per_s", RunReport.round(echoBound));
    out.put("acked_fraction_of_grpc_echo_bound", ratio(run.ackedPerSecond(), echoBound));
    out.put("note", "bounds = raw figure of each part alone / what one message costs that part; "
        + "the run and the baseline shared the same machine");
    return out;
  }

  private static double ratio(double value, double bound) {
    return bound <= 0 ? 0 : Math.round(value / bound * 10_000.0) / 10_000.0;
  }
}
