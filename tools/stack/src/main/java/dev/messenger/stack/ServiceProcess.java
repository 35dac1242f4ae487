package dev.messenger.stack;

import dev.messenger.client.TransportSecurity;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.JavaProcess;
import dev.messenger.launcher.ModuleClasspath;
import java.nio.file.Path;
import io.grpc.ChannelCredentials;
import java.time.Duration;
import java.util.Map;

/**
 * One service of the local stack as a process that can be started, stopped by a signal and started again
 * with the same command, ports and log file (appended), as an orchestrator would.
 */
final class ServiceProcess {
  /** How long a restarted service may take to answer SERVING. */
  static final Duration SERVING_TIMEOUT = Duration.ofSeconds(180);
  /** A session server drains within its --drain-grace (5 s) and then closes its clients: room for both. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final ServiceSpec spec;
  private final Path root;
  private final Path logs;
  private final Map<String, String> environment;
  private final ChannelCredentials probeCredentials;
  private volatile ChildProcess process;

  ServiceProcess(ServiceSpec spec, Path root, Path logs, Map<String, String> environment) {
    this.spec = spec;
    this.root = root;
    this.logs = logs;
    this.environment = Map.copyOf(environment);
    this.probeCredentials = TransportSecurity.of(TransportSecurity.caFile(environment));
  }

  ServiceSpec spec() {
    return spec;
  }

  ChildProcess process() {
    return process;
  }

  /** Starts the process and waits until its health service says SERVING; false if it never did. */
  boolean start() throws InterruptedException {
    ChildProcess started = JavaProcess.builder(spec.mainClass())
        .name(spec.name())
        .classpath(ModuleClasspath.of(root, spec.module()))
        .jvmOptions(ServiceJvm.options(logs.resolve(spec.name() + "-gc.log")))
        .environment(environment)
        .args("--grpc-port=" + spec.grpcPort(), "--metrics-port=" + spec.metricsPort())
        .logFile(logs.resolve(spec.name() + ".log"))
        .stopGrace(STOP_GRACE)
        .start();
    process = started;
    return awaitServing(SERVING_TIMEOUT);
  }

  /**
   * Polls the service's health until SERVING (over TLS trusting the CA of its environment when it has one);
   * false after {@code timeout} or once the process is gone.
   */
  boolean awaitServing(Duration timeout) throws InterruptedException {
    return HealthProbe.awaitServing("127.0.0.1", spec.grpcPort(), probeCredentials, timeout, process::isAlive);
  }

  /**
   * Stops the process with {@code signal} (TERM: its own shutdown, drain included, killed after the grace;
   * KILL: at once), starts it again and waits for SERVING.
   */
  Restart restart(StopSignal signal) throws InterruptedException {
    ChildProcess old = process;
    long begin = System.nanoTime();
    if (signal == StopSignal.KILL) {
      old.kill();
    } else {
      old.stop(STOP_GRACE);
    }
    long stopped = System.nanoTime();
    boolean serving = start();
    long end = System.nanoTime();
    return new Restart(spec.name(), signal, old.pid(), process.pid(), (stopped - begin) / 1_000_000,
        (end - stopped) / 1_000_000, serving);
  }

  /** Stops the process (SIGTERM, then SIGKILL after the grace). */
  void stop() {
    ChildProcess current = process;
    if (current != null) {
      current.stop(STOP_GRACE);
    }
  }

  /** How a restart stops the old process. */
  enum StopSignal { TERM, KILL }

  /** What a restart did and how long each half took. */
  record Restart(String service, StopSignal signal, long oldPid, long newPid, long stopMillis, long startMillis,
      boolean serving) {
    String toJson() {
      return String.format("{\"service\":\"%s\",\"signal\":\"%s\",\"old_pid\":%d,\"new_pid\":%d,"
          + "\"stop_ms\":%d,\"start_ms\":%d,\"serving\":%b}", service, signal, oldPid, newPid, stopMillis,
          startMillis, serving);
    }
  }
}
