package dev.messenger.loadgen;

import dev.messenger.loadgen.run.WindowProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of the deployment's processes on this machine over the measurement window, from
 * {@code /proc/<pid>/stat} (user + system clock ticks, 100 per second on Linux): with the acknowledged
 * messages of the window, the whole system's CPU per message.
 */
final class ProcessCpuProbe implements WindowProbe {
  /** The key of its result among the window's measurements. */
  static final String KEY = "process_cpu";
  private static final double TICKS_PER_SECOND = 100.0;

  private final Map<String, Long> pids;
  private final Map<String, Long> ticksAtStart = new LinkedHashMap<>();
  private long startNanos;

  ProcessCpuProbe(Map<String, Long> pids) {
    this.pids = Map.copyOf(pids);
  }

  @Override
  public void windowStarts() {
    startNanos = System.nanoTime();
    pids.forEach((name, pid) -> ticksAtStart.put(name, ticks(pid)));
  }

  @Override
  public Map<String, Object> windowEnds() {
    Map<String, Object> seconds = new LinkedHashMap<>();
    double total = 0;
    for (Map.Entry<String, Long> process : new java.util.TreeMap<>(pids).entrySet()) {
      long start = ticksAtStart.getOrDefault(process.getKey(), -1L);
      long end = ticks(process.getValue());
      if (start < 0 || end < 0) {
        seconds.put(process.getKey(), "unreadable");
        continue;
      }
      double s = (end - start) / TICKS_PER_SECOND;
      seconds.put(process.getKey(), s);
      total += s;
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("cpu_s", seconds);
    result.put("total_cpu_s", Math.round(total * 100) / 100.0);
    result.put("window_s", Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0);
    return Map.of(KEY, result);
  }

  /** utime + stime of the process, or -1 when it cannot be read. */
  static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
