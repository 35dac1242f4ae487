package dev.messenger.loadgen;

import dev.messenger.loadgen.run.ProcessTicks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU ticks of a process's threads, from {@code /proc/<pid>/task/*}: by what a JVM's threads do, and by thread.
 * The JIT compilers are a cost of a freshly started JVM rather than of the messages it handles, and the garbage
 * collector's share is what allocation costs: a reader of "CPU per message" must see both. By thread, grouped by
 * name, it tells where any process's CPU went. Threads that ended before a reading are not in it (the process
 * total still counts them), so these figures are lower bounds.
 */
final class JvmThreadCpu {
  /**
   * The CQL store's shared worker pool: a worker starts as {@code SharedPool-Worker-<n>} and renames itself
   * after the stage it serves at the moment (client requests, writes, reads, replica responses).
   */
  private static final Set<String> STORE_STAGE_WORKERS = Set.of("SharedPool-Work", "Native-Transpor",
      "MutationStage-N", "ReadStage-N", "RequestResponse", "CounterMutation", "ViewMutationSta");

  private JvmThreadCpu() {}

  /** What a JVM thread does, by its name as the kernel keeps it (at most 15 characters). */
  enum Kind {
    JIT, GC, OTHER;

    static Kind of(String threadName) {
      if (threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre")) {
        return JIT;
      }
      if (threadName.startsWith("GC Thread#") || threadName.startsWith("G1 ") || threadName.equals("VM Thread")) {
        return GC;
      }
      return OTHER;
    }
  }

  /**
   * Ticks (user + system) of the process's live threads, by kind and by thread id with the thread's name at
   * this reading. Empty when the process cannot be read.
   */
  static Readings read(long pid) {
    Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
    Map<Long, NamedTicks> byThread = new HashMap<>();
    try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      threads.forEach(thread -> {
        try {
          String name = Files.readString(thread.resolve("comm")).strip();
          long ticks = ProcessTicks.ofStat(Files.readString(thread.resolve("stat")));
          byKind.merge(Kind.of(name), ticks, Long::sum);
          byThread.put(Long.parseLong(thread.getFileName().toString()), new NamedTicks(name, ticks));
        } catch (IOException | RuntimeException e) {
          // The thread ended while it was being read.
        }
      });
    } catch (IOException | RuntimeException e) {
      return new Readings(Map.of(), Map.of());
    }
    return new Readings(byKind, byThread);
  }

  /**
   * A thread's group: its name with every number that does not follow a letter replaced by N, so a pool's
   * threads add up ({@code ReadStage-3} and {@code GC Thread#1} become {@code ReadStage-N} and
   * {@code GC Thread#N}; {@code C2 CompilerThre} stays). The CQL store's workers are one group: the stage a
   * worker is named after says nothing of where it spent its time.
   */
  static String group(String threadName) {
    String group = threadName.replaceAll("(?<![A-Za-z])[0-9]+", "N");
    return STORE_STAGE_WORKERS.contains(group) ? "store stage workers" : group;
  }

  /** One reading of a process's threads. */
  record Readings(Map<Kind, Long> byKind, Map<Long, NamedTicks> byThread) {}

  /** A thread's name and ticks at one reading. */
  record NamedTicks(String name, long ticks) {}
}
