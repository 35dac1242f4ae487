package dev.messenger.loadgen;

import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.report.RunReport;
import dev.messenger.loadgen.run.Coordinator;
import dev.messenger.loadgen.run.LoadRun;
import dev.messenger.loadgen.run.RunResult;
import dev.messenger.loadgen.run.RunSettings;
import dev.messenger.loadgen.run.Scenario;
import dev.messenger.loadgen.run.ServerProbe;
import dev.messenger.loadgen.run.Shard;
import dev.messenger.loadgen.run.Target;
import dev.messenger.loadgen.run.Ticker;
import dev.messenger.loadgen.run.WindowProbe;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadgen run}: simulated users and devices against a running deployment. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Simulated users, each with one or more devices holding a Connect stream (through the Java "
        + "client library and discovery), sending 1:1 messages on the clock (open loop) against a running "
        + "deployment; counts sent, acked, delivered, lost, duplicated and out of order; writes report.json, "
        + "report.svg and report.txt."})
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ScenarioOptions scenarioOptions = new ScenarioOptions();

  @Mixin
  TargetOptions targetOptions = new TargetOptions();

  @Option(names = "--out", paramLabel = "DIR", description = "Where the reports go. Default: .messenger/loadgen/<run id>.")
  Path out;

  @Option(names = "--baseline", paramLabel = "FILE",
      description = "A baseline.json of the same infrastructure: adds the figures as fractions of its limits.")
  Path baseline;

  @Option(names = "--processes", paramLabel = "N", defaultValue = "1",
      description = "Split the users over N load-generator processes (each has its own file-descriptor limit) "
          + "and merge their reports. Default: ${DEFAULT-VALUE}.")
  int processes;

  @Option(names = "--client-threads", paramLabel = "N", defaultValue = "2",
      description = "Threads for the clients' event loops, and as many for listener callbacks. Default: ${DEFAULT-VALUE}.")
  int clientThreads;

  @Option(names = "--server-pid", paramLabel = "PID",
      description = "PID of a session server JVM on this machine: measures its live heap (jcmd GC.run) before "
          + "the ramp and with every stream open, and reports the heap per stream.")
  Long serverPid;

  @Option(names = "--metrics", split = ",", paramLabel = "URL",
      description = "Prometheus endpoints of the services (e.g. http://127.0.0.1:9100/metrics): reports the mean "
          + "of their duration histograms and the increase of their counters over the measurement window.")
  List<java.net.URI> metrics = new ArrayList<>();

  @Option(names = "--cpu-pids", split = ",", paramLabel = "NAME=PID",
      description = "Processes of the deployment on this machine, as NAME=PID: reports their CPU time over the "
          + "measurement window and the whole system's CPU per acknowledged message, with the machine's speed then "
          + "(the CPU time of a fixed job before the run).")
  Map<String, Long> cpuPids = new LinkedHashMap<>();

  private WindowProbe windowProbe() {
    return DeploymentProbes.of(metrics, cpuPids);
  }

  @Option(names = "--run-id", hidden = true, description = "Run id (children of a multi-process run).")
  String runId;

  @Option(names = "--shard", hidden = true, description = "i/n: this process's share of the users.")
  String shard;

  @Option(names = "--coordinated", hidden = true, description = "Wait for GO on stdin after the ramp.")
  boolean coordinated;

  @Override
  public Integer call() throws Exception {
    PrintWriter terminal = spec.commandLine().getOut();
    Scenario scenario = scenarioOptions.toScenario();
    String id = runId != null ? runId : RunSettings.newRunId();
    Path dir = out != null ? out : Path.of(".messenger", "loadgen", id);
    Optional<Map<String, Object>> base = ReportFiles.readOptional(baseline);
    if (processes > 1) {
      if (serverPid != null || !cpuPids.isEmpty()) {
        throw new IllegalArgumentException("--server-pid and --cpu-pids work with one process only");
      }
      RunResult merged = new ProcessFleet(processes, childArgs(), dir, terminal).run(id);
      return finish(RunReport.toJson(merged, false, base), dir, terminal);
    }
    Shard part = shard != null ? Shard.parse(shard) : Shard.WHOLE;
    int devices = (part.endUser(scenario.users()) - part.firstUser(scenario.users())) * scenario.devicesPerUser();
    Target target = targetOptions.resolve(devices, part.index(), part.count());
    if (!coordinated) {
      long connections = (devices + target.streamsPerConnection() - 1L) / target.streamsPerConnection();
      terminal.printf("run %s: %,d devices over %,d TCP connection(s) to %s%s; reports in %s%n", id, devices,
          connections, target.bootstrap(), target.sourceAddresses().isEmpty() ? ""
              : " from " + target.sourceAddresses().size() + " source address(es)", dir);
    }
    ServerProbe probe = serverPid == null ? ServerProbe.NONE : new HeapProbe(serverPid, terminal);
    Coordinator coordinator = coordinated ? new StdinCoordinator(terminal) : Coordinator.NONE;
    RunSettings settings = new RunSettings(id, part, clientThreads, ProgressPrinter.ramp(terminal, coordinated),
        ProgressPrinter.samples(terminal, coordinated), coordinator, probe,
        windowProbe(), Clock.systemUTC(), Ticker.system());
    RunResult result = new LoadRun(scenario, target, settings).execute();
    if (coordinated) {
      ReportFiles.write(dir.resolve("report-part.json"), Json.write(RunReport.toJson(result, true, Optional.empty())));
      return result.tally().lost() + result.tally().duplicated() + result.tally().outOfOrder() == 0
          ? 0 : LoadgenMain.CHECKS_FAILED;
    }
    return finish(RunReport.toJson(result, false, base), dir, terminal);
  }

  private int finish(Map<String, Object> report, Path dir, PrintWriter terminal) {
    String summary = ReportFiles.writeRun(dir, "report", report);
    terminal.println();
    terminal.print(summary);
    terminal.println("reports      " + dir.resolve("report.json") + ", report.svg, report.txt");
    boolean passed = Boolean.TRUE.equals(((Map<?, ?>) report.get("checks")).get("passed"));
    return passed ? 0 : LoadgenMain.CHECKS_FAILED;
  }

  /** The arguments of this run for a child process: everything but what the parent decides per child. */
  private List<String> childArgs() {
    List<String> args = new ArrayList<>();
    List<String> original = spec.commandLine().getParseResult().originalArgs();
    int first = original.indexOf(spec.name()) + 1;
    for (int i = first; i < original.size(); i++) {
      String arg = original.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      boolean separateValue = !arg.contains("=") && spec.findOption(name) != null
          && spec.findOption(name).arity().max() > 0;
      if (List.of("--processes", "--out", "--baseline", "--run-id", "--shard", "--server-pid", "--cpu-pids")
          .contains(name)) {
        if (separateValue) {
          i++;
        }
        continue;
      }
      args.add(arg);
    }
    return args;
  }
}
