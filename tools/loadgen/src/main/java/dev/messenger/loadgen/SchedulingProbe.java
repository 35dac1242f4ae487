package dev.messenger.loadgen;

import dev.messenger.loadgen.run.WindowProbe;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the deployment's processes were scheduled over the window: their threads' context switches and the time
 * they waited for a core while runnable ({@link ThreadScheduling}). Beside {@code process_cpu} it tells apart two
 * reasons for one step to cost more CPU a message than another at the same rate: threads that slept and were
 * woken more often (more voluntary switches a message), and threads that shared the cores with more others (more
 * waiting, more preemption).
 */
final class SchedulingProbe implements WindowProbe {
  /** The key of its result among the window's measurements. */
  static final String KEY = "scheduling";

  private final Map<String, Long> pids;
  private final Map<String, ThreadScheduling> atStart = new LinkedHashMap<>();

  SchedulingProbe(Map<String, Long> pids) {
    this.pids = Map.copyOf(pids);
  }

  @Override
  public void windowStarts() {
    pids.forEach((name, pid) -> atStart.put(name, ThreadScheduling.read(pid)));
  }

  @Override
  public Map<String, Object> windowEnds() {
    Map<String, Object> voluntary = new LinkedHashMap<>();
    Map<String, Object> involuntary = new LinkedHashMap<>();
    Map<String, Object> waited = new LinkedHashMap<>();
    ThreadScheduling.Counts total = ThreadScheduling.Counts.NONE;
    for (Map.Entry<String, Long> process : new TreeMap<>(pids).entrySet()) {
      ThreadScheduling.Counts counts = ThreadScheduling.read(process.getValue())
          .since(atStart.getOrDefault(process.getKey(), new ThreadScheduling(Map.of())));
      voluntary.put(process.getKey(), counts.voluntarySwitches());
      involuntary.put(process.getKey(), counts.involuntarySwitches());
      waited.put(process.getKey(), seconds(counts.runQueueWaitNanos()));
      total = total.plus(counts);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("voluntary_switches", voluntary);
    result.put("total_voluntary_switches", total.voluntarySwitches());
    result.put("involuntary_switches", involuntary);
    result.put("total_involuntary_switches", total.involuntarySwitches());
    result.put("run_queue_wait_s", waited);
    result.put("total_run_queue_wait_s", seconds(total.runQueueWaitNanos()));
    return Map.of(KEY, result);
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e7) / 100.0;
  }
}
