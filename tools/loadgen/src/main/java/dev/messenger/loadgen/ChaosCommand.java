package dev.messenger.loadgen;

import dev.messenger.loadgen.chaos.Fault;
import dev.messenger.loadgen.chaos.FaultSeries;
import dev.messenger.common.auth.Tokens;
import dev.messenger.loadgen.chaos.FaultOutcome;
import dev.messenger.loadgen.chaos.HistoryCheck;
import dev.messenger.loadgen.chaos.StackControlClient;
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
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadgen chaos}: the fault suite. For each fault, a run of steady 1:1 load (fresh users) whose
 * warm-up is the steady state before the fault and whose measured window starts with it; the fault is
 * injected through the local stack's control port. The load generator's ledger is the checker.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = {"Faults under steady 1:1 load against the local stack (./messenger up, best with "
        + "--sessions=2 --routers=2): for each fault, a run whose measured window starts with it. Reports per fault the "
        + "acknowledged messages lost, duplicated and out of order (all must be 0), whether History, read back "
        + "afterwards, holds every acknowledged message once at its place, unanswered and failed sends "
        + "with the statuses clients saw, the time until every device is connected and deliveries are back at "
        + "their steady rate, and the delivery p99 from the fault on.",
        "Exit code 0 when every promise held through every fault, 3 otherwise."})
final class ChaosCommand implements Callable<Integer> {
  /** How long History may take to show what was acknowledged (it serves what is projected). */
  private static final Duration HISTORY_PATIENCE = Duration.ofSeconds(60);

  @Spec
  CommandSpec spec;

  @Mixin
  ScenarioOptions scenarioOptions = new ScenarioOptions();

  @Mixin
  TargetOptions targetOptions = new TargetOptions();

  @Option(names = "--control", paramLabel = "URL", defaultValue = "http://127.0.0.1:8900",
      description = "The stack's control port (base port + 1900). Default: ${DEFAULT-VALUE}.")
  URI control;

  @Option(names = "--quick", description = "One fault of each kind, once: " + "session:kill, router:kill, "
      + "history:kill, presence:kill, push:kill, router:pause=12 (SIGSTOP past its lease, then SIGCONT), "
      + "router:etcd-cut=15 (cut off from etcd, not from NATS or the store, past its lease), "
      + "session:term (drain), nats:kill, etcd:kill, cassandra:kill (the only node of each here, so the whole "
      + "bus, coordination or store is gone until it is back on the same port and data).")
  boolean quick;

  @Option(names = "--faults", split = ",", paramLabel = "FAULT",
      description = "Faults to inject instead of the quick list: service:kill, service:term or "
          + "service:pause=SECONDS, service:etcd-cut=SECONDS (service as the control port names it, e.g. "
          + "session-2, router-2, or etcd, nats, cassandra; in a cluster nats-2 is one server and nats all of "
          + "them at once; a cut drops the service's packets with etcd, not with NATS or the store). "
          + "Faults joined with + are done one after the other in one measured window: "
          + "history:kill+presence:kill.")
  List<String> faults = new ArrayList<>();

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
      description = "How many times the list is run (the full suite: 3). Default: ${DEFAULT-VALUE}.")
  int rounds;

  @Option(names = "--history", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7300",
      description = "The History service, read back after each fault's run: every acknowledged message must be "
          + "there once, at its place, with no gap. Default: ${DEFAULT-VALUE}.")
  String history;

  @Option(names = "--client-threads", paramLabel = "N", defaultValue = "2", description = "See run.")
  int clientThreads;

  @Option(names = "--out", paramLabel = "DIR", description = "Where the reports go. Default: .messenger/loadgen/chaos-<id>.")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter terminal = spec.commandLine().getOut();
    List<FaultSeries> list = faults.isEmpty()
        ? Fault.QUICK.stream().map(FaultSeries::of).toList()
        : faults.stream().map(FaultSeries::parse).toList();
    if (quick && !faults.isEmpty()) {
      throw new IllegalArgumentException("give either --quick or --faults");
    }
    if (rounds < 1 || (quick && rounds != 1)) {
      throw new IllegalArgumentException("--rounds must be at least 1 (and 1 with --quick)");
    }
    Scenario scenario = scenario();
    StackControlClient stack = new StackControlClient(control);
    for (String service : new LinkedHashSet<>(list.stream().flatMap(f -> f.steps().stream()).map(Fault::service)
        .toList())) {
      stack.check(service);
    }
    Path dir = out != null ? out : Path.of(".messenger", "loadgen", "chaos-" + RunSettings.newRunId());
    Target target = targetOptions.resolve(scenario.users() * scenario.devicesPerUser(), 0, 1);
    HistoryCheck historyCheck = new HistoryCheck(history, target.credentials(), new Tokens(target.tokenKey(), Clock.systemUTC()),
        HISTORY_PATIENCE);
    List<FaultOutcome> outcomes = new ArrayList<>();
    int step = 0;
    for (int round = 0; round < rounds; round++) {
      for (FaultSeries fault : list) {
        step++;
        String id = RunSettings.newRunId();
        terminal.printf("%nfault %d: %s after %d s of steady load (run %s)%n", step, fault.label(),
            scenario.warmup().toSeconds(), id);
        RunSettings settings = new RunSettings(id, Shard.WHOLE, clientThreads, ProgressPrinter.ramp(terminal, false),
            ProgressPrinter.samples(terminal, false), Coordinator.NONE, ServerProbe.NONE,
            new dev.messenger.loadgen.chaos.FaultWindow(fault, stack), Clock.systemUTC(), Ticker.system());
        RunResult result = new LoadRun(scenario, target, settings).execute();
        Map<String, Object> report = RunReport.toJson(result, false, Optional.empty());
        HistoryCheck.Findings findings = historyCheck.check(id, result.ledger());
        report.put("history_check", findings.toMap());
        ReportFiles.writeRun(dir, String.format("%02d-%s", step, fault.label().replaceAll("[^a-z0-9-]", "-")),
            report);
        FaultOutcome outcome = FaultOutcome.of(fault.label(), report);
        outcomes.add(outcome);
        terminal.println(FaultOutcome.header());
        terminal.println(outcome.row());
      }
    }
    boolean held = outcomes.stream().allMatch(FaultOutcome::promisesHeld);
    Map<String, Object> suite = new LinkedHashMap<>();
    suite.put("kind", "chaos");
    suite.put("scenario", scenario.toMap());
    suite.put("recovery_means", "deliveries back at 90% of the steady rate with every device connected, 3 s in a row");
    suite.put("faults", outcomes.stream().map(FaultOutcome::toMap).toList());
    suite.put("promises_held", held);
    ReportFiles.write(dir.resolve("chaos.json"), Json.write(suite));
    terminal.printf("%n%s%n", FaultOutcome.header());
    outcomes.forEach(o -> terminal.println(o.row()));
    terminal.printf("%s%nchaos report: %s%n", held ? "every promise held through every fault"
        : "PROMISES BROKEN (see the rows above)", dir.resolve("chaos.json"));
    return held ? 0 : LoadgenMain.CHECKS_FAILED;
  }

  /** The scenario, with the suite's own defaults where the command line said nothing. */
  private Scenario scenario() {
    var parsed = spec.commandLine().getParseResult();
    if (!parsed.hasMatchedOption("--users")) {
      scenarioOptions.users = 500;
    }
    if (!parsed.hasMatchedOption("--rate") && !parsed.hasMatchedOption("--total-rate")) {
      scenarioOptions.totalRate = 100.0;
    }
    if (!parsed.hasMatchedOption("--warmup")) {
      scenarioOptions.warmup = Duration.ofSeconds(15);
    }
    if (!parsed.hasMatchedOption("--duration")) {
      scenarioOptions.duration = Duration.ofSeconds(45);
    }
    if (!parsed.hasMatchedOption("--drain")) {
      scenarioOptions.drain = Duration.ofSeconds(30);
    }
    return scenarioOptions.toScenario();
  }
}
