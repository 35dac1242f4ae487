package dev.messenger.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** An etcd member listening on 127.0.0.1 only: alone, or one of a cluster whose members are all local. */
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
    return start(binary, directory, logFile, new Member("n1", clientPort, peerPort, metricsPort),
        List.of(new Member("n1", clientPort, peerPort, metricsPort)), timeout);
  }

  /** Starts {@code self}, one of {@code cluster}; a member of a cluster is ready once the cluster has a leader. */
  static EtcdServer start(Path binary, Path directory, Path logFile, Member self, List<Member> cluster,
      Duration timeout) {
    ChildProcess process = ChildProcess.builder(cluster.size() == 1 ? "etcd" : "etcd-" + self.name())
        .command(command(binary, directory, self, cluster))
        .logFile(logFile)
        .stopGrace(STOP_GRACE)
        .start();
    Readiness.await(process, timeout, Readiness.httpOk(URI.create(self.clientUrl() + "/health")));
    return new EtcdServer(process, self.clientUrl());
  }

  /** One member's name and ports. */
  record Member(String name, int clientPort, int peerPort, int metricsPort) {
    String clientUrl() {
      return "http://127.0.0.1:" + clientPort;
    }

    String peerUrl() {
      return "http://127.0.0.1:" + peerPort;
    }
  }

  static List<String> command(Path binary, Path directory, int clientPort, int peerPort, int metricsPort) {
    Member self = new Member("n1", clientPort, peerPort, metricsPort);
    return command(binary, directory, self, List.of(self));
  }

  static List<String> command(Path binary, Path directory, Member self, List<Member> cluster) {
    return List.of(
        binary.toString(),
        "--name", self.name(),
        "--data-dir", directory.toString(),
        "--logger=zap",
        "--log-level=warn",
        "--listen-client-urls", self.clientUrl(),
        "--advertise-client-urls", self.clientUrl(),
        "--listen-peer-urls", self.peerUrl(),
        "--initial-advertise-peer-urls", self.peerUrl(),
        "--initial-cluster", cluster.stream().map(m -> m.name() + "=" + m.peerUrl())
            .collect(java.util.stream.Collectors.joining(",")),
        "--initial-cluster-state", "new",
        "--listen-metrics-urls", "http://127.0.0.1:" + self.metricsPort());
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
