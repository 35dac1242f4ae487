package dev.messenger.loadgen;

import dev.messenger.loadgen.report.JsonPaths;
import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.report.RunReport;
import dev.messenger.loadgen.run.Coordinator;
import dev.messenger.loadgen.run.DeliveryKinds;
import dev.messenger.loadgen.run.LoadRun;
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

/**
 * {@code loadgen sweep}: the same scenario at increasing total rates, one full run each (fresh users),
 * until a step no longer holds; reports the highest rate held at the latency limit.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Run the scenario at increasing total send rates and find the highest rate held: every check "
        + "passed, delivery p99 within the limit, and acks keeping up with the offered rate.")
final class SweepCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ScenarioOptions scenarioOptions = new ScenarioOptions();

  @Mixin
  TargetOptions targetOptions = new TargetOptions();

  @Option(names = "--rates", paramLabel = "MSG/S", split = ",", required = true,
      description = "Total send rates to try, in order, e.g. 250,500,1000,2000.")
  List<Double> rates = new ArrayList<>();

  @Option(names = "--p99-limit-ms", paramLabel = "MS", defaultValue = "50",
      description = "Delivery p99 a step must stay within. Default: ${DEFAULT-VALUE}.")
  double p99Limit;

  @Option(names = "--keep-going", description = "Try every rate even after one did not hold.")
  boolean keepGoing;

  @Option(names = "--out", paramLabel = "DIR", description = "Where the reports go. Default: .messenger/loadgen/sweep-<id>.")
  Path out;

  @Option(names = "--baseline", paramLabel = "FILE", description = "A baseline.json to compare each step with.")
  Path baseline;

  @Option(names = "--client-threads", paramLabel = "N", defaultValue = "2", description = "See run.")
  int clientThreads;

  @Option(names = "--metrics", split = ",", paramLabel = "URL", description = "See run.")
  List<java.net.URI> metrics = new ArrayList<>();

  @Option(names = "--cpu-pids", split = ",", paramLabel = "NAME=PID",
      description = "See run.")
  Map<String, Long> cpuPids = new LinkedHashMap<>();

  private WindowProbe windowProbe() {
    return DeploymentProbes.of(metrics, cpuPids);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter terminal = spec.commandLine().getOut();
    Scenario base = scenarioOptions.toScenario();
    Path dir = out != null ? out : Path.of(".messenger", "loadgen", "sweep-" + RunSettings.newRunId());
    Optional<Map<String, Object>> baselineReport = ReportFiles.readOptional(baseline);
    Target target = targetOptions.resolve(base.users() * base.devicesPerUser(), 0, 1);
    List<Object> steps = new ArrayList<>();
    Map<String, Object> best = null;
    for (double rate : rates) {
      Scenario scenario = base.withRatePerUser(rate / base.users());
      String id = RunSettings.newRunId();
      terminal.printf("%nsweep step: %,.1f msg/s offered (run %s)%n", rate, id);
      RunSettings settings = new RunSettings(id, Shard.WHOLE, clientThreads, ProgressPrinter.ramp(terminal, false),
          ProgressPrinter.samples(terminal, false), Coordinator.NONE, ServerProbe.NONE,
          windowProbe(), Clock.systemUTC(), Ticker.system());
      Map<String, Object> report = RunReport.toJson(new LoadRun(scenario, target, settings).execute(), false,
          baselineReport);
      String name = "report-" + Math.round(rate);
      terminal.print(ReportFiles.writeRun(dir, name, report));
      Map<String, Object> step = step(rate, report, name);
      steps.add(step);
      terminal.printf("step %,.1f msg/s: %s%n", rate, Boolean.TRUE.equals(step.get("held")) ? "held" : "NOT held");
      if (Boolean.TRUE.equals(step.get("held"))) {
        best = step;
      } else if (!keepGoing) {
        break;
      }
    }
    Map<String, Object> sweep = new LinkedHashMap<>();
    sweep.put("kind", "sweep");
    sweep.put("scenario", base.toMap());
    sweep.put("p99_limit_ms", p99Limit);
    sweep.put("held_means", "checks passed, delivery p99 <= limit, acked/s >= 95% of offered");
    sweep.put("steps", steps);
    sweep.put("highest_rate_held", best == null ? Map.of() : best);
    ReportFiles.write(dir.resolve("sweep.json"), Json.write(sweep));
    terminal.printf("%nhighest rate held at delivery p99 <= %s ms: %s%nsweep report: %s%n", p99Limit,
        best == null ? "none" : String.format(java.util.Locale.ROOT, "%,.1f msg/s offered, %,.1f acked/s, "
            + "delivery p99 %s ms", best.get("offered_per_s"), best.get("acked_per_s"), best.get("delivery_p99_ms")),
        dir.resolve("sweep.json"));
    return best == null ? LoadgenMain.CHECKS_FAILED : 0;
  }

  private Map<String, Object> step(double rate, Map<String, Object> report, String name) {
    double p99 = JsonPaths.number(report, "latency_ms.delivery.p99");
    double acked = JsonPaths.number(report, "throughput.acked_per_s");
    boolean passed = Boolean.TRUE.equals(JsonPaths.find(report, "checks.passed").orElse(false));
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("offered_per_s", rate);
    step.put("acked_per_s", acked);
    step.put("delivered_per_s", JsonPaths.number(report, "throughput.delivered_per_s"));
    step.put("ack_p99_ms", JsonPaths.number(report, "latency_ms.ack.p99"));
    step.put("delivery_p50_ms", JsonPaths.number(report, "latency_ms.delivery.p50"));
    step.put("delivery_p99_ms", p99);
    // Under overload: how fast what was let in went through, and how many sends were refused at least once.
    step.put("accepted_at_first_attempt_delivery_p99_ms",
        JsonPaths.numberOr(report, "latency_ms." + DeliveryKinds.FIRST_ATTEMPT + ".p99").orElse(0.0));
    step.put("from_accepted_attempt_delivery_p99_ms",
        JsonPaths.numberOr(report, "latency_ms." + DeliveryKinds.FROM_ACCEPTED_ATTEMPT + ".p99").orElse(0.0));
    step.put("errors_in_run", JsonPaths.object(report, "errors").values().stream()
        .mapToLong(count -> ((Number) count).longValue()).sum());
    step.put("checks_passed", passed);
    step.put("held", passed && p99 <= p99Limit && acked >= 0.95 * rate);
    JsonPaths.numberOr(report, "server.metrics_over_window.process_cpu.total_cpu_s").ifPresent(cpu -> {
      double ackedInWindow = JsonPaths.number(report, "throughput.acked_in_window");
      step.put("cpu_ms_per_acked_message", ackedInWindow == 0 ? 0.0 : Math.round(cpu * 1e5 / ackedInWindow) / 100.0);
      double fixed = JsonPaths.numberOr(report, "server.metrics_over_window.process_cpu.total_jit_cpu_s").orElse(0.0)
          + JsonPaths.numberOr(report, "server.metrics_over_window.process_cpu.total_gc_cpu_s").orElse(0.0);
      step.put("jit_and_gc_cpu_ms_per_acked_message",
          ackedInWindow == 0 ? 0.0 : Math.round(fixed * 1e5 / ackedInWindow) / 100.0);
    });
    JsonPaths.find(report, "baseline_fraction.acked_fraction_of_cql_bound")
        .ifPresent(f -> step.put("acked_fraction_of_cql_bound", f));
    step.put("report", name + ".json");
    return step;
  }
}
