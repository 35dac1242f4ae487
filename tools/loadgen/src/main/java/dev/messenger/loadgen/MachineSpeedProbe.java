package dev.messenger.loadgen;

import dev.messenger.loadgen.run.WindowProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much a CPU-second does on this machine at the time of a run: the median CPU time of
 * {@link ReferenceWork}'s job, measured before the run, with nothing sent yet by it. Two runs' CPU per message compare
 * only at the same speed: {@code loadgen plan-cluster} scales one by the other. Not measured in the window: there
 * the job's CPU time grows with the run's own load (five times at 150 msg/s on one node, as the run's threads
 * take its caches), which is the model's to predict, not the machine's speed.
 */
final class MachineSpeedProbe implements WindowProbe {
  /** The key of its result among the window's measurements. */
  static final String KEY = "machine_speed";
  private static final int WARM_UP_JOBS = 300;
  private static final int MEASURED_JOBS = 500;

  private final Map<String, Object> result;

  private MachineSpeedProbe(Map<String, Object> result) {
    this.result = result;
  }

  /** Measures the speed now, before the run: about 0.7 s of one core. */
  static MachineSpeedProbe measuredNow() {
    ReferenceWork work = new ReferenceWork();
    if (!work.measurable()) {
      return new MachineSpeedProbe(Map.of());
    }
    for (int i = 0; i < WARM_UP_JOBS; i++) {
      work.cpuNanosOfOneJob();
    }
    List<Long> jobs = new ArrayList<>();
    for (int i = 0; i < MEASURED_JOBS; i++) {
      jobs.add(work.cpuNanosOfOneJob());
    }
    jobs.sort(null);
    Map<String, Object> speed = new LinkedHashMap<>();
    speed.put("job", ReferenceWork.DESCRIPTION);
    speed.put("before_run_job_cpu_us", Math.round(jobs.get(jobs.size() / 2) / 100.0) / 10.0);
    speed.put("before_run_jobs", MEASURED_JOBS);
    return new MachineSpeedProbe(Map.of(KEY, speed));
  }

  @Override
  public void windowStarts() {}

  @Override
  public Map<String, Object> windowEnds() {
    return result;
  }
}
