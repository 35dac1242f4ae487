package dev.messenger.loadgen.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of a process or thread on this machine, in clock ticks (user + system, 100 a second on Linux). */
public final class ProcessTicks {
  /** Clock ticks in a second. */
  public static final double PER_SECOND = 100.0;

  private ProcessTicks() {}

  /** utime + stime of the process, or -1 when it cannot be read. */
  public static long of(long pid) {
    try {
      return ofStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** utime + stime of a {@code /proc/.../stat} line (of a process or of one of its threads). */
  public static long ofStat(String stat) {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
