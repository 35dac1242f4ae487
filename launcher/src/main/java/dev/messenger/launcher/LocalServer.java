package dev.messenger.launcher;

import java.time.Duration;

/** A part of the infrastructure running as a local child process. */
interface LocalServer {
  ChildProcess process();

  /** The loopback address it listens on: 127.0.0.1, or one of its own in a local cluster. */
  String address();

  /** How long a graceful stop may take before the process is killed. */
  Duration stopGrace();
}
