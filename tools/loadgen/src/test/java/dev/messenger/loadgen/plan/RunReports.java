package dev.messenger.loadgen.plan;

import dev.messenger.loadgen.report.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Run reports shaped like report.json, with only what the cluster prediction reads. */
public final class RunReports {
  private RunReports() {}

  /**
   * A run report acknowledging {@code acked} msg/s at delivery p99 {@code p99} ms, with {@code cpuSeconds} of
   * each named process over a window of {@code windowSeconds}.
   */
  public static Map<String, Object> run(double acked, double p99, boolean checksPassed,
      Map<String, ?> cpuSeconds, double windowSeconds) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("kind", "run");
    report.put("scenario", Map.of("total_rate", acked));
    report.put("throughput", Map.of("acked_per_s", acked));
    report.put("latency_ms", Map.of("delivery", Map.of("p99", p99)));
    report.put("checks", Map.of("passed", checksPassed));
    report.put("server", Map.of("metrics_over_window", Map.of("process_cpu",
        Map.of("cpu_s", new LinkedHashMap<>(cpuSeconds), "window_s", windowSeconds))));
    return report;
  }

  /** Writes {@code report} to {@code file} as report.json is written; returns the file. */
  public static Path written(Path file, Map<String, Object> report) throws IOException {
    Files.writeString(file, Json.write(report));
    return file;
  }

  /** {@link #run} with the named processes' thread groups: process name to group to CPU-seconds. */
  public static Map<String, Object> withThreadGroups(Map<String, Object> report, Map<String, ?> threadGroups) {
    Map<String, Object> cpu = new LinkedHashMap<>(process(report));
    cpu.put("thread_groups_cpu_s", new LinkedHashMap<>(threadGroups));
    Map<String, Object> copy = new LinkedHashMap<>(report);
    copy.put("server", Map.of("metrics_over_window", Map.of("process_cpu", cpu)));
    return copy;
  }

  /**
   * {@link #run} with a per-second series as report.json has it: the warm-up's and then the window's delivery p99
   * per second (ms), and a drain second after them.
   */
  public static Map<String, Object> withSeries(Map<String, Object> report, List<Double> warmupP99s,
      List<Double> windowP99s) {
    List<Object> series = new ArrayList<>();
    warmupP99s.forEach(p99 -> series.add(second(series.size() + 1, "warmup", p99)));
    windowP99s.forEach(p99 -> series.add(second(series.size() + 1, "measure", p99)));
    series.add(second(series.size() + 1, "drain", 0));
    Map<String, Object> copy = new LinkedHashMap<>(report);
    copy.put("series", series);
    return copy;
  }

  private static Map<String, Object> second(int t, String phase, double p99) {
    return Map.of("t", t, "phase", phase, "delivered", 100, "delivery_p50_ms", Math.min(p99, 5),
        "delivery_p99_ms", p99);
  }

  /** {@link #run} (with or without thread groups) with the machine's speed before it: the fixed job's CPU time. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> withSpeed(Map<String, Object> report, double beforeRunJobMicros) {
    return withMachineSpeed(report, Map.of("before_run_job_cpu_us", beforeRunJobMicros, "before_run_jobs", 500));
  }

  /** The report with the fixed job's time alone on one core and on each of two cores at once. */
  public static Map<String, Object> withSpeeds(Map<String, Object> report, double oneCoreMicros,
      double allCoresMicros) {
    return withMachineSpeed(report, Map.of("before_run_job_cpu_us", oneCoreMicros, "before_run_jobs", 500,
        "all_cores_job_cpu_us", allCoresMicros, "all_cores_threads", 2, "all_cores_jobs", 500));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> withMachineSpeed(Map<String, Object> report, Map<String, Object> speed) {
    Map<String, Object> server = (Map<String, Object>) report.get("server");
    Map<String, Object> window = new LinkedHashMap<>((Map<String, Object>) server.get("metrics_over_window"));
    window.put("machine_speed", speed);
    Map<String, Object> copy = new LinkedHashMap<>(report);
    copy.put("server", Map.of("metrics_over_window", window));
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> process(Map<String, Object> report) {
    Map<String, Object> server = (Map<String, Object>) report.get("server");
    Map<String, Object> window = (Map<String, Object>) server.get("metrics_over_window");
    return (Map<String, Object>) window.get("process_cpu");
  }

  /** A held run (checks passed) whose CPU is given per minute, as the measurement tables give it. */
  public static RunCpu perMinute(String source, double acked, double p99, Map<String, Double> cpuSecondsPerMinute) {
    return RunCpu.from(source, run(acked, p99, true, cpuSecondsPerMinute, 60));
  }
}
