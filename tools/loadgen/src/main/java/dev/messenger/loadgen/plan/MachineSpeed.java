package dev.messenger.loadgen.plan;

import dev.messenger.loadgen.report.JsonPaths;
import java.util.Map;
import java.util.Optional;

/**
 * How fast the machine ran during one run: the median CPU time of the load generator's fixed job (report.json's
 * {@code server.metrics_over_window.machine_speed}), measured before the run with the deployment idle. More
 * microseconds is a slower machine: the same work takes more CPU-seconds.
 *
 * @param beforeRunJobMicros the job's median CPU time before the run
 */
public record MachineSpeed(double beforeRunJobMicros) {
  static final String PATH = "server.metrics_over_window.machine_speed";

  /** The run's figures; empty for a report that measured none (before session 32, or without --cpu-pids). */
  public static Optional<MachineSpeed> of(Map<String, Object> report) {
    return JsonPaths.numberOr(report, PATH + ".before_run_job_cpu_us")
        .filter(micros -> micros > 0)
        .map(MachineSpeed::new);
  }
}
