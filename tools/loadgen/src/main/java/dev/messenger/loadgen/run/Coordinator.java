package dev.messenger.loadgen.run;

/**
 * Lines up the send phase of several load-generator processes: each reports when its devices are
 * connected and waits until all are, so the processes send over the same seconds.
 */
@FunctionalInterface
public interface Coordinator {
  /** Called after the ramp; returns when sending may start. */
  void ready(int connectedDevices, int devices) throws InterruptedException;

  /** A process on its own: starts at once. */
  Coordinator NONE = (connected, devices) -> { };
}
