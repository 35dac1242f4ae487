package dev.messenger.loadgen.plan;

import dev.messenger.loadgen.report.JsonPaths;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How fast the machine ran during one run: the median CPU time of the load generator's fixed job (report.json's
 * {@code server.metrics_over_window.machine_speed}), measured before the run with the deployment idle, alone on
 * one core and on every core at once. More microseconds is a slower machine: the same work takes more CPU-seconds.
 *
 * @param beforeRunJobMicros the job's median CPU time alone on one core
 * @param allCoresJobMicros the job's median CPU time on every core at once; empty in reports before session 33
 */
public record MachineSpeed(double beforeRunJobMicros, OptionalDouble allCoresJobMicros) {
  static final String PATH = "server.metrics_over_window.machine_speed";

  /** The run's figures; empty for a report that measured none (before session 32, or without --cpu-pids). */
  public static Optional<MachineSpeed> of(Map<String, Object> report) {
    Optional<Double> allCores = JsonPaths.numberOr(report, PATH + ".all_cores_job_cpu_us").filter(micros -> micros > 0);
    return JsonPaths.numberOr(report, PATH + ".before_run_job_cpu_us")
        .filter(micros -> micros > 0)
        .map(micros -> new MachineSpeed(micros,
            allCores.map(OptionalDouble::of).orElseGet(OptionalDouble::empty)));
  }
}
