package dev.messenger.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A process frozen with SIGSTOP for a while, then let go on with SIGCONT (a long GC pause, a VM stall): it
 * keeps its sockets and believes it still holds whatever it held.
 */
record ProcessPause(String name, long pid, long pausedMillis) {
  static ProcessPause of(String name, long pid, Duration duration) throws InterruptedException {
    signal("STOP", pid);
    try {
      Thread.sleep(duration.toMillis());
    } finally {
      signal("CONT", pid);
    }
    return new ProcessPause(name, pid, duration.toMillis());
  }

  private static void signal(String signal, long pid) throws InterruptedException {
    try {
      int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String toJson() {
    return String.format("{\"service\":\"%s\",\"pid\":%d,\"paused_ms\":%d}", name, pid, pausedMillis);
  }
}
