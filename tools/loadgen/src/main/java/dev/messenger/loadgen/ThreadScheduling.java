package dev.messenger.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How the threads of a process were scheduled so far, from {@code /proc/<pid>/task/*}: each thread's context
 * switches ({@code status}: voluntary when it slept, involuntary when it was preempted) and the time it waited for
 * a core while runnable ({@code schedstat}'s second field).
 *
 * @param byThread the counts of each thread, by its id
 */
record ThreadScheduling(Map<Long, Counts> byThread) {
  /** A thread's counts, or their increase between two readings. */
  record Counts(long voluntarySwitches, long involuntarySwitches, long runQueueWaitNanos) {
    static final Counts NONE = new Counts(0, 0, 0);

    Counts plus(Counts other) {
      return new Counts(voluntarySwitches + other.voluntarySwitches, involuntarySwitches + other.involuntarySwitches,
          runQueueWaitNanos + other.runQueueWaitNanos);
    }

    Counts minus(Counts earlier) {
      return new Counts(voluntarySwitches - earlier.voluntarySwitches,
          involuntarySwitches - earlier.involuntarySwitches, runQueueWaitNanos - earlier.runQueueWaitNanos);
    }
  }

  /** The process's threads now; none when it cannot be read (it ended, or another user's). */
  static ThreadScheduling read(long pid) {
    Map<Long, Counts> byThread = new HashMap<>();
    try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      threads.forEach(thread -> {
        try {
          byThread.put(Long.parseLong(thread.getFileName().toString()),
              counts(Files.readString(thread.resolve("status")), Files.readString(thread.resolve("schedstat"))));
        } catch (IOException | RuntimeException e) {
          // The thread ended while it was being read.
        }
      });
    } catch (IOException | RuntimeException e) {
      return new ThreadScheduling(Map.of());
    }
    return new ThreadScheduling(byThread);
  }

  /** One thread's counts from its {@code status} and {@code schedstat} files. */
  static Counts counts(String status, String schedstat) {
    long voluntary = -1;
    long involuntary = -1;
    for (String line : status.split("\n")) {
      if (line.startsWith("voluntary_ctxt_switches:")) {
        voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
      } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
        involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
      }
    }
    if (voluntary < 0 || involuntary < 0) {
      throw new IllegalArgumentException("no context switches in the thread's status");
    }
    return new Counts(voluntary, involuntary, Long.parseLong(schedstat.strip().split(" ")[1]));
  }

  /**
   * What the threads did between {@code earlier} and this reading: a thread that started in between counts whole,
   * one that ended is missing (as in {@code process_cpu}'s thread groups). Nothing when {@code earlier} found no
   * thread: every thread's whole life would count.
   */
  Counts since(ThreadScheduling earlier) {
    if (earlier.byThread.isEmpty()) {
      return Counts.NONE;
    }
    Counts total = Counts.NONE;
    for (Map.Entry<Long, Counts> thread : byThread.entrySet()) {
      Counts increase = thread.getValue().minus(earlier.byThread.getOrDefault(thread.getKey(), Counts.NONE));
      if (increase.voluntarySwitches() >= 0 && increase.involuntarySwitches() >= 0
          && increase.runQueueWaitNanos() >= 0) {
        total = total.plus(increase);
      }
    }
    return total;
  }
}
