package dev.messenger.loadgen.run;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The load generator's own use of the machine, reported with every run: on a small machine the tool
 * competes with the deployment for the same cores, and a reader must see how much it took.
 */
final class ProcessUsage {
  private ProcessUsage() {}

  /** CPU time of this process so far, nanoseconds (0 when the JVM cannot tell). */
  static long cpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? Math.max(0, sun.getProcessCpuTime()) : 0;
  }

  static Map<String, Object> snapshot(long cpuNanosWhileSending, double sendingSeconds) {
    Map<String, Object> map = new LinkedHashMap<>();
    int cores = Runtime.getRuntime().availableProcessors();
    map.put("cpu_s_while_sending", Math.round(cpuNanosWhileSending / 1e7) / 100.0);
    map.put("share_of_machine_while_sending", sendingSeconds <= 0 ? 0.0
        : Math.round(cpuNanosWhileSending / 1e9 / (sendingSeconds * cores) * 1000) / 1000.0);
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    map.put("heap_used_mib", heap.getUsed() / (1024 * 1024));
    map.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    map.put("threads", Thread.activeCount());
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      map.put("open_fds", unix.getOpenFileDescriptorCount());
      map.put("max_fds", unix.getMaxFileDescriptorCount());
    }
    return map;
  }
}
