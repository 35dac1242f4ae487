package dev.messenger.launcher;

import java.time.Duration;

/** A part of the infrastructure running as a local child process. */
interface LocalServer {
  ChildProcess process();

  /** How long a graceful stop may take before the process is killed. */
  Duration stopGrace();
}
