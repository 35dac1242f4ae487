package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.n;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How many nodes of each tier a target needs, from measured figures, with the arithmetic shown and the
 * figure that bounds each tier named. Every tier is sized to run at {@code utilization} of its measured
 * limit. Figures measured on one shared machine are lower bounds per node: a dedicated node does more.
 */
public final class CapacityPlan {
  private final CapacityTarget target;
  private final MeasuredFigures measured;
  private final double sessionHeapGib;
  private final int nodeCores;
  private final List<String> lines = new ArrayList<>();
  private final Map<String, Object> tiers = new LinkedHashMap<>();

  public CapacityPlan(CapacityTarget target, MeasuredFigures measured, double sessionHeapGib, int nodeCores) {
    this.target = target;
    this.measured = measured;
    this.sessionHeapGib = sessionHeapGib;
    this.nodeCores = nodeCores;
    compute();
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("kind", "plan");
    map.put("target", target.toMap());
    map.put("tiers", tiers);
    map.put("arithmetic", lines());
    return map;
  }

  private void compute() {
    WritePath path = new WritePath(target.devicesPerUser());
    double u = target.utilization();
    double peak = target.peakMessagesPerSecond();
    say("target: %s daily users x %s messages/day = %s messages/s on average; x %s peak factor = %s messages/s",
        n(target.dailyUsers()), n(target.messagesPerUserPerDay()), n(target.averageMessagesPerSecond()),
        n(target.peakFactor()), n(peak));
    say("        %s device streams at peak (%s per daily user); every tier planned at %s%% of its measured limit",
        n(target.peakStreams()), n(target.connectionsPerUser()), n(u * 100));
    for (String warning : measured.warnings()) {
      say("WARNING: %s", warning);
    }
    say("");
    sessions(path, peak, u);
    routers(peak, u);
    cql(path, peak, u);
    nats(path, peak, u);
  }

  private void sessions(WritePath path, double peak, double u) {
    int perMessage = 2 * target.devicesPerUser();
    double deliveries = peak * perMessage;
    double perServer = measured.deliveredPerSecond() / Math.max(1, measured.sessionServers());
    double byThroughput = ceil(deliveries / (perServer * u));
    say("session servers");
    say("  deliveries to devices: %s msg/s x %d devices = %s deliveries/s (each also brings receipts)", n(peak),
        perMessage, n(deliveries));
    say("  measured: %s deliveries/s on %d session server(s) (delivery p99 %s ms) = %s per server",
        n(measured.deliveredPerSecond()), measured.sessionServers(), n(measured.deliveryP99Millis()),
        n(perServer));
    say("  by throughput held: %s / (%s x %s) = %s servers (only a bound if the run saturated the server)",
        n(deliveries), n(perServer), n(u), n(byThroughput));
    if (measured.sessionCpuMillisPerMessage().isPresent()) {
      double cpu = measured.sessionCpuMillisPerMessage().get();
      byThroughput = byCpu(peak, cpu);
      say("  by CPU: %s msg/s x %s ms CPU per message (measured over the window) / (%d cores x %s) = %s servers",
          n(peak), n(cpu), nodeCores, n(u), n(byThroughput));
    }
    double perServerStreams;
    String streamSource;
    if (measured.heapPerStreamKib().isPresent() && measured.heapPerStreamKib().get() > 0) {
      perServerStreams = sessionHeapGib * 1024 * 1024 / measured.heapPerStreamKib().get();
      streamSource = String.format(Locale.ROOT, "%s GiB heap / %s KiB per idle stream (measured)", n(sessionHeapGib),
          n(measured.heapPerStreamKib().get()));
    } else {
      perServerStreams = measured.peakStreams() / Math.max(1, measured.sessionServers());
      streamSource = "streams held per server in the run (no heap measurement in the report)";
    }
    double byStreams = ceil(target.peakStreams() / (perServerStreams * u));
    say("  by streams: %s / (%s x %s) = %s servers   [%s = %s streams per server]", n(target.peakStreams()),
        n(perServerStreams), n(u), n(byStreams), streamSource, n(perServerStreams));
    double servers = Math.max(byThroughput, byStreams);
    String bound = byStreams >= byThroughput ? "streams per server (memory)"
        : measured.sessionCpuMillisPerMessage().isPresent() ? "CPU per message" : "deliveries per second held";
    say("  => %s session servers, bounded by %s", n(servers), bound);
    say("");
    tiers.put("session_servers", tier(servers, bound));
  }

  private void routers(double peak, double u) {
    double perRouter = measured.ackedPerSecond() / Math.max(1, measured.routers());
    double routers = ceil(peak / (perRouter * u));
    String bound = "acked messages per second held per router (only a bound if the run saturated it)";
    say("routers");
    say("  measured: %s acked messages/s on %d router(s) = %s per router", n(measured.ackedPerSecond()),
        measured.routers(), n(perRouter));
    say("  by throughput held: %s / (%s x %s) = %s routers (only a bound if the run saturated the router)", n(peak),
        n(perRouter), n(u), n(routers));
    if (measured.routerCpuMillisPerMessage().isPresent()) {
      double cpu = measured.routerCpuMillisPerMessage().get();
      routers = byCpu(peak, cpu);
      bound = "CPU per message";
      say("  by CPU: %s msg/s x %s ms CPU per message (measured over the window) / (%d cores x %s) = %s routers",
          n(peak), n(cpu), nodeCores, n(u), n(routers));
    }
    say("  => %s routers, bounded by %s", n(routers), bound);
    say("");
    tiers.put("routers", tier(routers, bound));
  }

  private void cql(WritePath path, double peak, double u) {
    say("history / ScyllaDB nodes");
    if (measured.cqlInsertsPerSecond() <= 0) {
      say("  no baseline given: run `loadgen baseline` and pass --baseline to size this tier");
      say("");
      return;
    }
    double lwtCost = measured.cqlLwtPerSecond() > 0 ? measured.cqlInsertsPerSecond() / measured.cqlLwtPerSecond() : 1;
    double rowsEquivalent = path.rows() - path.conditionalRows() + path.conditionalRows() * lwtCost;
    double writes = peak * rowsEquivalent * target.replication();
    double nodes = ceil(writes / (measured.cqlInsertsPerSecond() * u));
    say("  rows per message: %d (%d conditional; one conditional insert costs %s plain ones: %s / %s inserts/s)",
        path.rows(), path.conditionalRows(), n(lwtCost), n(measured.cqlInsertsPerSecond()),
        n(measured.cqlLwtPerSecond()));
    say("  writes: %s msg/s x %s insert-equivalents x RF %d = %s replica writes/s", n(peak), n(rowsEquivalent),
        target.replication(), n(writes));
    say("  %s / (%s inserts/s per node (baseline) x %s) = %s nodes, bounded by CQL inserts per second per node",
        n(writes), n(measured.cqlInsertsPerSecond()), n(u), n(nodes));
    double bytesPerDay = target.averageMessagesPerSecond() * 86_400 * (target.messageBytes() + 150) * 3
        * target.replication();
    say("  storage: %s messages/day x (%d B + ~150 B of columns) x 3 copies (log + 2 members) x RF %d = %s TB/day"
        + " before compression", n(target.averageMessagesPerSecond() * 86_400), target.messageBytes(),
        target.replication(), n(bytesPerDay / 1e12));
    say("");
    tiers.put("cql_nodes", tier(nodes, "CQL inserts per second per node (baseline), LWT counted at its cost"));
  }

  private void nats(WritePath path, double peak, double u) {
    say("NATS servers");
    if (measured.natsPerSecond() <= 0) {
      say("  no baseline given: run `loadgen baseline` and pass --baseline to size this tier");
      return;
    }
    double bus = peak * path.natsMessages();
    double servers = ceil(bus / (measured.natsPerSecond() * u));
    say("  bus messages: %s msg/s x %d (submit, reply, %d member events, %d receipts) = %s msgs/s", n(peak),
        path.natsMessages(), 2, 2 * target.devicesPerUser(), n(bus));
    say("  %s / (%s msgs/s per server (baseline pub->sub) x %s) = %s servers, bounded by NATS messages per second",
        n(bus), n(measured.natsPerSecond()), n(u), n(servers));
    tiers.put("nats_servers", tier(servers, "NATS publish->subscribe messages per second (baseline)"));
  }

  /** Nodes of {@code nodeCores} cores at the planned utilization for {@code cpuMillis} of CPU per message. */
  private double byCpu(double messagesPerSecond, double cpuMillis) {
    return ceil(messagesPerSecond * cpuMillis / 1000 / (nodeCores * target.utilization()));
  }

  private static Map<String, Object> tier(double count, String boundedBy) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("count", (long) count);
    map.put("bounded_by", boundedBy);
    return map;
  }

  private void say(String format, Object... args) {
    lines.add(String.format(Locale.ROOT, format, args));
  }

  private static double ceil(double v) {
    return Double.isFinite(v) ? Math.max(1, Math.ceil(v)) : Double.POSITIVE_INFINITY;
  }
}
