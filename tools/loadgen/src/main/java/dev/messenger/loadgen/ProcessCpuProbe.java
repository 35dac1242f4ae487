package dev.messenger.loadgen;

import dev.messenger.loadgen.run.ProcessTicks;
import dev.messenger.loadgen.run.WindowProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of the deployment's processes on this machine over the measurement window, from
 * {@code /proc/<pid>/stat} (user + system clock ticks, 100 per second on Linux): with the acknowledged
 * messages of the window, the whole system's CPU per message. Of a JVM's CPU it also tells how much its JIT
 * compilers and its garbage collector took, and of every process which groups of its threads took most
 * ({@link JvmThreadCpu}).
 */
final class ProcessCpuProbe implements WindowProbe {
  /** The key of its result among the window's measurements. */
  static final String KEY = "process_cpu";
    /** A thread group is listed when it took at least this share of its process's CPU in the window. */
  private static final double GROUP_SHARE = 0.05;
  private static final int GROUPS_PER_PROCESS = 6;

  private final Map<String, Long> pids;
  private final Map<String, Long> ticksAtStart = new LinkedHashMap<>();

  private final Map<String, JvmThreadCpu.Readings> threadTicksAtStart = new LinkedHashMap<>();
  private long startNanos;

  ProcessCpuProbe(Map<String, Long> pids) {
    this.pids = Map.copyOf(pids);
  }

  @Override
  public void windowStarts() {
    startNanos = System.nanoTime();
    pids.forEach((name, pid) -> {
      ticksAtStart.put(name, ProcessTicks.of(pid));
      threadTicksAtStart.put(name, JvmThreadCpu.read(pid));
    });
  }

  @Override
  public Map<String, Object> windowEnds() {
    Map<String, Object> seconds = new LinkedHashMap<>();
    Map<String, Object> jit = new LinkedHashMap<>();
    Map<String, Object> gc = new LinkedHashMap<>();
    Map<String, Object> groups = new LinkedHashMap<>();
    double total = 0;
    double totalJit = 0;
    double totalGc = 0;
    for (Map.Entry<String, Long> process : new java.util.TreeMap<>(pids).entrySet()) {
      long start = ticksAtStart.getOrDefault(process.getKey(), -1L);
      long end = ProcessTicks.of(process.getValue());
      if (start < 0 || end < 0) {
        seconds.put(process.getKey(), "unreadable");
        continue;
      }
      double s = (end - start) / ProcessTicks.PER_SECOND;
      seconds.put(process.getKey(), s);
      total += s;
      JvmThreadCpu.Readings threadsBefore = threadTicksAtStart.getOrDefault(process.getKey(),
          new JvmThreadCpu.Readings(Map.of(), Map.of()));
      JvmThreadCpu.Readings threadsAfter = JvmThreadCpu.read(process.getValue());
      double jitSeconds = increase(threadsBefore.byKind(), threadsAfter.byKind(), JvmThreadCpu.Kind.JIT);
      double gcSeconds = increase(threadsBefore.byKind(), threadsAfter.byKind(), JvmThreadCpu.Kind.GC);
      Map<String, Double> busiest = busiestGroups(threadsBefore.byThread(), threadsAfter.byThread(), s);
      if (!busiest.isEmpty()) {
        groups.put(process.getKey(), busiest);
      }
      if (jitSeconds + gcSeconds > 0) {
        jit.put(process.getKey(), jitSeconds);
        gc.put(process.getKey(), gcSeconds);
        totalJit += jitSeconds;
        totalGc += gcSeconds;
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("cpu_s", seconds);
    result.put("total_cpu_s", Math.round(total * 100) / 100.0);
    result.put("jit_cpu_s", jit);
    result.put("total_jit_cpu_s", Math.round(totalJit * 100) / 100.0);
    result.put("gc_cpu_s", gc);
    result.put("total_gc_cpu_s", Math.round(totalGc * 100) / 100.0);
    result.put("thread_groups_cpu_s", groups);
    result.put("window_s", Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0);
    return Map.of(KEY, result);
  }

  /** Seconds a kind of thread spent between the two readings; 0 where a thread was missing from one. */
  private static double increase(Map<JvmThreadCpu.Kind, Long> before, Map<JvmThreadCpu.Kind, Long> after,
      JvmThreadCpu.Kind kind) {
    long ticks = after.getOrDefault(kind, 0L) - before.getOrDefault(kind, 0L);
    return Math.max(0, ticks) / ProcessTicks.PER_SECOND;
  }

  /**
   * The thread groups that took at least {@link #GROUP_SHARE} of the process's {@code processSeconds}, busiest
   * first, at most {@value #GROUPS_PER_PROCESS}: where a process's CPU went (the CQL store's workers, its
   * commit-log sync, its network threads), without a profiler. Each thread's increase counts for the group of
   * its name at the end; a thread that started in the window counts whole, one that ended is missing. Nothing
   * when the first reading found no thread: every thread's whole life would count.
   */
  static Map<String, Double> busiestGroups(Map<Long, JvmThreadCpu.NamedTicks> before,
      Map<Long, JvmThreadCpu.NamedTicks> after, double processSeconds) {
    if (before.isEmpty()) {
      return Map.of();
    }
    Map<String, Long> ticksByGroup = new HashMap<>();
    after.forEach((thread, now) -> {
      JvmThreadCpu.NamedTicks then = before.get(thread);
      long increase = now.ticks() - (then == null ? 0 : then.ticks());
      ticksByGroup.merge(JvmThreadCpu.group(now.name()), Math.max(0, increase), Long::sum);
    });
    Map<String, Double> busiest = new LinkedHashMap<>();
    ticksByGroup.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() / ProcessTicks.PER_SECOND))
        .filter(e -> e.getValue() > 0 && e.getValue() >= GROUP_SHARE * processSeconds)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(GROUPS_PER_PROCESS)
        .forEach(e -> busiest.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
    return busiest;
  }
}
