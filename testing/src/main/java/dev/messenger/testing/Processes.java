package dev.messenger.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process checks for tests that must prove nothing was left running. */
public final class Processes {
  private Processes() {}

  /** Alive and not a zombie waiting for its parent to reap it (the JDK counts zombies as alive). */
  public static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }
}
