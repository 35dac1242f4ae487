package dev.messenger.loadgen;

import dev.messenger.loadgen.plan.CapacityPlan;
import dev.messenger.loadgen.plan.CapacityTarget;
import dev.messenger.loadgen.plan.MeasuredFigures;
import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.report.JsonPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadgen plan}: nodes per tier for a target, from a run report and a baseline. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "From a run report (and a baseline), print how many session servers, routers, history/ScyllaDB "
        + "nodes and NATS servers a target needs, with the arithmetic and the measured figure bounding each tier.")
final class PlanCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--report", paramLabel = "FILE", required = true,
      description = "A run report.json, or a sweep.json (its highest step held is used).")
  Path report;

  @Option(names = "--baseline", paramLabel = "FILE", description = "A baseline.json of the same infrastructure.")
  Path baseline;

  @Option(names = "--streams-report", paramLabel = "FILE", description = "A run report of idle streams with a "
      + "heap measurement (run --rate 0 --server-pid PID): sizes session servers by memory per stream.")
  Path streamsReport;

  @Option(names = "--daily-users", converter = CountConverter.class, defaultValue = "500M",
      description = "Daily active users. Default: ${DEFAULT-VALUE}.")
  double dailyUsers;

  @Option(names = "--messages-per-user", converter = CountConverter.class, defaultValue = "40",
      description = "Messages each daily user sends per day. Default: ${DEFAULT-VALUE}.")
  double messagesPerUser;

  @Option(names = "--message-size", defaultValue = "100", description = "Bytes per message. Default: ${DEFAULT-VALUE}.")
  int messageSize;

  @Option(names = "--peak-factor", defaultValue = "3", description = "Peak rate over the daily average. "
      + "Default: ${DEFAULT-VALUE}.")
  double peakFactor;

  @Option(names = "--connections-per-user", defaultValue = "1",
      description = "Device streams open at peak per daily user. Default: ${DEFAULT-VALUE}.")
  double connectionsPerUser;

  @Option(names = "--devices-per-user", description = "Devices per member receiving each message. "
      + "Default: the report's devices per user.")
  Integer devicesPerUser;

  @Option(names = "--replication", defaultValue = "3", description = "CQL replication factor. Default: ${DEFAULT-VALUE}.")
  int replication;

  @Option(names = "--utilization", defaultValue = "0.6",
      description = "Share of a measured limit each node is planned to use. Default: ${DEFAULT-VALUE}.")
  double utilization;

  @Option(names = "--session-heap-gib", defaultValue = "8",
      description = "Heap of a production session server, for the streams-per-server bound. Default: ${DEFAULT-VALUE}.")
  double sessionHeapGib;

  @Option(names = "--node-cores", defaultValue = "16",
      description = "Cores of a production session server or router, for the CPU-per-message bound (needs a run "
          + "with --metrics). Default: ${DEFAULT-VALUE}.")
  int nodeCores;

  @Option(names = "--measured-session-servers", defaultValue = "1",
      description = "Session servers in the measured deployment. Default: ${DEFAULT-VALUE} (./messenger up).")
  int sessionServers;

  @Option(names = "--measured-routers", defaultValue = "1",
      description = "Routers in the measured deployment. Default: ${DEFAULT-VALUE} (./messenger up).")
  int routers;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the plan as JSON.")
  Path out;

  @Override
  public Integer call() {
    Map<String, Object> run = ReportFiles.read(report);
    PrintWriter terminal = spec.commandLine().getOut();
    if ("sweep".equals(run.get("kind"))) {
      String step = JsonPaths.string(run, "highest_rate_held.report", "");
      if (step.isEmpty()) {
        throw new IllegalArgumentException(report + ": no step of this sweep held; plan from a run report instead");
      }
      Path stepFile = report.toAbsolutePath().getParent().resolve(step);
      terminal.println("from the sweep's highest step held: " + stepFile);
      run = ReportFiles.read(stepFile);
    }
    if (!"run".equals(run.get("kind"))) {
      throw new IllegalArgumentException(report + " is not a run report");
    }
    Optional<Map<String, Object>> base = ReportFiles.readOptional(baseline);
    int devices = devicesPerUser != null ? devicesPerUser
        : (int) Math.round(JsonPaths.numberOr(run, "scenario.devices_per_user").orElse(1.0));
    CapacityTarget target = new CapacityTarget(dailyUsers, messagesPerUser, messageSize, peakFactor,
        connectionsPerUser, devices, replication, utilization);
    CapacityPlan plan = new CapacityPlan(target,
        MeasuredFigures.from(run, ReportFiles.readOptional(streamsReport), base, sessionServers, routers),
        sessionHeapGib, nodeCores);
    plan.lines().forEach(terminal::println);
    terminal.println();
    terminal.println("summary: " + plan.toMap().get("tiers"));
    if (out != null) {
      ReportFiles.write(out, Json.write(plan.toMap()));
    }
    return 0;
  }
}
