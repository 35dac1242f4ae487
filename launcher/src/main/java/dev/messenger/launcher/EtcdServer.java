package dev.messenger.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A single-member etcd listening on 127.0.0.1 only. */
final class EtcdServer implements LocalServer {
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final ChildProcess process;
  private final String clientUrl;

  private EtcdServer(ChildProcess process, String clientUrl) {
    this.process = process;
    this.clientUrl = clientUrl;
  }

  static EtcdServer start(
      Path binary, Path directory, Path logFile, int clientPort, int peerPort, int metricsPort, Duration timeout) {
    String clientUrl = "http://127.0.0.1:" + clientPort;
    ChildProcess process = ChildProcess.builder("etcd")
        .command(command(binary, directory, clientPort, peerPort, metricsPort))
        .logFile(logFile)
        .stopGrace(STOP_GRACE)
        .start();
    Readiness.await(process, timeout, Readiness.httpOk(URI.create(clientUrl + "/health")));
    return new EtcdServer(process, clientUrl);
  }

  static List<String> command(Path binary, Path directory, int clientPort, int peerPort, int metricsPort) {
    String clientUrl = "http://127.0.0.1:" + clientPort;
    String peerUrl = "http://127.0.0.1:" + peerPort;
    return List.of(
        binary.toString(),
        "--name", "n1",
        "--data-dir", directory.toString(),
        "--logger=zap",
        "--log-level=warn",
        "--listen-client-urls", clientUrl,
        "--advertise-client-urls", clientUrl,
        "--listen-peer-urls", peerUrl,
        "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "n1=" + peerUrl,
        "--initial-cluster-state", "new",
        "--listen-metrics-urls", "http://127.0.0.1:" + metricsPort);
  }

  String clientUrl() {
    return clientUrl;
  }

  @Override
  public ChildProcess process() {
    return process;
  }

  @Override
  public Duration stopGrace() {
    return STOP_GRACE;
  }
}
