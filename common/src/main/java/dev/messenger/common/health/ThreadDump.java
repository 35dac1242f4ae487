package dev.messenger.common.health;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;

/**
 * Every thread of this JVM with its whole stack, the lock it waits for and who holds it, and the locks it
 * holds: what a client library stuck inside itself looks like, written where the service logs (ThreadInfo's
 * own text stops after eight frames).
 */
public final class ThreadDump {
  private ThreadDump() {}

  public static String ofThisJvm() {
    StringBuilder text = new StringBuilder();
    for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      append(text, thread);
    }
    return text.toString();
  }

  private static void append(StringBuilder text, ThreadInfo thread) {
    text.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
    if (thread.getLockName() != null) {
      text.append(" waiting for ").append(thread.getLockName());
      if (thread.getLockOwnerName() != null) {
        text.append(" held by \"").append(thread.getLockOwnerName()).append('"');
      }
    }
    text.append('\n');
    StackTraceElement[] stack = thread.getStackTrace();
    for (int depth = 0; depth < stack.length; depth++) {
      text.append("    at ").append(stack[depth]).append('\n');
      for (MonitorInfo monitor : thread.getLockedMonitors()) {
        if (monitor.getLockedStackDepth() == depth) {
          text.append("      holds ").append(monitor).append('\n');
        }
      }
    }
    for (LockInfo synchronizer : thread.getLockedSynchronizers()) {
      text.append("    holds ").append(synchronizer).append('\n');
    }
  }
}
