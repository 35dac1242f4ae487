package dev.messenger.loadgen.plan;

import dev.messenger.loadgen.report.JsonPaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one run report says about the CPU of the deployment's processes ({@code run --cpu-pids}): the rate it
 * acknowledged, whether it held its latency, and the CPU-seconds per second of each process kind over the
 * measured window. A process named {@code cassandra-2} or {@code session-5360} is of kind {@code cassandra} or
 * {@code session}; the processes of one kind are summed. The CQL store's commit-log sync, when the report lists
 * its thread group, is a kind of its own ({@link StoreCommitLogSync}), taken out of the store's.
 *
 * @param source where the report came from, for the printed arithmetic
 * @param ackedPerSecond acknowledged messages per second: the rate the model is a function of
 * @param offeredPerSecond the scenario's total offered rate
 * @param deliveryP99Millis delivery p99 of the run
 * @param checksPassed whether nothing was lost, duplicated or out of order
 * @param coresByKind CPU-seconds per second of each process kind, empty when the run measured no process CPU
 * @param unreadable processes whose CPU could not be read, left out of {@code coresByKind}
 * @param start when the run settled from its own start, against when its measured window began
 * @param speed how fast the machine ran meanwhile, when the report measured it
 */
public record RunCpu(String source, double ackedPerSecond, double offeredPerSecond, double deliveryP99Millis,
    boolean checksPassed, Map<String, Double> coresByKind, List<String> unreadable, StartBacklog start,
    Optional<MachineSpeed> speed) {

  public RunCpu {
    coresByKind = Map.copyOf(coresByKind);
    unreadable = List.copyOf(unreadable);
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(speed, "speed");
  }

  /** Reads a run report; a report without process CPU has empty {@code coresByKind}. */
  public static RunCpu from(String source, Map<String, Object> report) {
    Map<String, Object> cpu = JsonPaths.object(report, "server.metrics_over_window.process_cpu");
    Map<String, Double> secondsByKind = new TreeMap<>();
    List<String> unreadable = new ArrayList<>();
    Map<String, Object> threadGroups = JsonPaths.object(cpu, "thread_groups_cpu_s");
    for (Map.Entry<String, Object> process : JsonPaths.object(cpu, "cpu_s").entrySet()) {
      if (process.getValue() instanceof Number seconds) {
        String kind = kindOf(process.getKey());
        double rest = seconds.doubleValue();
        if (ClusterShape.isStore(kind)) {
          Optional<Double> sync = StoreCommitLogSync.secondsIn(threadGroups, process.getKey());
          if (sync.isPresent()) {
            double synced = Math.min(sync.get(), rest); // thread and process ticks are read moments apart
            secondsByKind.merge(StoreCommitLogSync.kindOf(kind), synced, Double::sum);
            rest -= synced;
          }
        }
        secondsByKind.merge(kind, rest, Double::sum);
      } else {
        unreadable.add(process.getKey());
      }
    }
    Map<String, Double> coresByKind = new LinkedHashMap<>();
    if (!secondsByKind.isEmpty()) {
      double window = number(source, report, "server.metrics_over_window.process_cpu.window_s");
      if (window <= 0) {
        throw new IllegalArgumentException(source + ": process_cpu.window_s is " + window + ", not a window");
      }
      secondsByKind.forEach((kind, seconds) -> coresByKind.put(kind, seconds / window));
    }
    return new RunCpu(source,
        number(source, report, "throughput.acked_per_s"),
        JsonPaths.numberOr(report, "scenario.total_rate").orElse(0.0),
        number(source, report, "latency_ms.delivery.p99"),
        Boolean.TRUE.equals(JsonPaths.find(report, "checks.passed").orElse(false)),
        coresByKind, unreadable, StartBacklog.of(report), MachineSpeed.of(report));
  }

  private static double number(String source, Map<String, Object> report, String path) {
    return JsonPaths.numberOr(report, path)
        .orElseThrow(() -> new IllegalArgumentException(source + " has no number at " + path));
  }

  /** The kind of a process named in {@code --cpu-pids}: its name without trailing {@code -<digits>} parts. */
  public static String kindOf(String processName) {
    String kind = processName.replaceFirst("(-\\d+)+$", "");
    return kind.isEmpty() ? processName : kind;
  }

  /** This run with the store's commit-log sync counted in the store again. */
  public RunCpu withSyncFolded() {
    return new RunCpu(source, ackedPerSecond, offeredPerSecond, deliveryP99Millis, checksPassed,
        StoreCommitLogSync.folded(coresByKind), unreadable, start, speed);
  }

  /** Whether the store's commit-log sync is a kind of its own in this run. */
  public boolean syncApart() {
    return coresByKind.keySet().stream().anyMatch(StoreCommitLogSync::is);
  }

  /**
   * The rate offered, or the acknowledged one when the report gave none: a run that collapsed may acknowledge
   * less than a lower one that held, so runs are ordered by what they were offered.
   */
  public double offeredOrAcked() {
    return offeredPerSecond > 0 ? offeredPerSecond : ackedPerSecond;
  }

  /** CPU-seconds per second of every process measured. */
  public double totalCores() {
    return coresByKind.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Whether the run held delivery p99 within {@code p99BoundMillis} with its checks passed. */
  public boolean held(double p99BoundMillis) {
    return checksPassed && deliveryP99Millis <= p99BoundMillis;
  }

  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("source", source);
    map.put("offered_per_s", offeredPerSecond);
    map.put("acked_per_s", ackedPerSecond);
    map.put("delivery_p99_ms", deliveryP99Millis);
    map.put("checks_passed", checksPassed);
    map.put("cores_by_kind", new TreeMap<>(coresByKind));
    map.put("total_cores", totalCores());
    if (!unreadable.isEmpty()) {
      map.put("unreadable_processes", unreadable);
    }
    speed.ifPresent(s -> {
      map.put("job_cpu_us_before_run", s.beforeRunJobMicros());
      s.allCoresJobMicros().ifPresent(micros -> map.put("job_cpu_us_before_run_on_every_core", micros));
    });
    return map;
  }
}
