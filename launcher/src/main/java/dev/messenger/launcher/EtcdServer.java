package dev.messenger.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An etcd member on loopback: alone on 127.0.0.1, or one of a local cluster whose member {@code i} listens for
 * clients and peers on an address of its own ({@link #memberAddress}), so that it can be cut off from the
 * network as a whole. The metrics port stays on 127.0.0.1.
 */
final class EtcdServer implements LocalServer {
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final ChildProcess process;
  private final String clientUrl;
  private final List<String> pathUrls;

  private EtcdServer(ChildProcess process, String clientUrl, List<String> pathUrls) {
    this.process = process;
    this.clientUrl = clientUrl;
    this.pathUrls = pathUrls;
  }

  static EtcdServer start(
      Path binary, Path directory, Path logFile, int clientPort, int peerPort, int metricsPort, Duration timeout) {
    return start(binary, directory, logFile, new Member("n1", clientPort, peerPort, metricsPort),
        List.of(new Member("n1", clientPort, peerPort, metricsPort)), timeout);
  }

  /** Starts {@code self}, one of {@code cluster}; a member of a cluster is ready once the cluster has a leader. */
  static EtcdServer start(Path binary, Path directory, Path logFile, Member self, List<Member> cluster,
      Duration timeout) {
    return start(binary, directory, logFile, self, cluster, Optional.empty(), timeout);
  }

  /**
   * With {@code tls}, the client URL is https:// and serves the certificate of {@code tls}; peers still talk
   * plaintext on loopback. Readiness is asked of the metrics URL, which answers /health in plain HTTP.
   */
  static EtcdServer start(Path binary, Path directory, Path logFile, Member self, List<Member> cluster,
      Optional<LocalCertificates> tls, Duration timeout) {
    ChildProcess process = ChildProcess.builder(cluster.size() == 1 ? "etcd" : "etcd-" + self.name())
        .command(command(binary, directory, self, cluster, tls))
        .logFile(logFile)
        .stopGrace(STOP_GRACE)
        .start();
    Readiness.await(process, timeout,
        Readiness.httpOk(URI.create("http://127.0.0.1:" + self.metricsPort() + "/health")));
    return new EtcdServer(process, self.clientUrl(tls.isPresent()), self.pathUrls(tls.isPresent()));
  }

  /** The address member {@code index} of a local cluster listens on: 127.0.0.21, .22, .23. */
  static String memberAddress(int index) {
    return "127.0.0." + (21 + index);
  }

  /**
   * One member's name, address and ports. {@code pathPorts} are further client ports it listens on, one for each
   * client that a fault may cut off from etcd alone (by dropping that port's packets) while the others keep
   * their way in.
   */
  record Member(String name, String address, int clientPort, int peerPort, int metricsPort, List<Integer> pathPorts) {
    Member {
      pathPorts = List.copyOf(pathPorts);
    }

    Member(String name, int clientPort, int peerPort, int metricsPort, List<Integer> pathPorts) {
      this(name, "127.0.0.1", clientPort, peerPort, metricsPort, pathPorts);
    }

    Member(String name, int clientPort, int peerPort, int metricsPort) {
      this(name, clientPort, peerPort, metricsPort, List.of());
    }

    String clientUrl(boolean tls) {
      return url(clientPort, tls);
    }

    List<String> pathUrls(boolean tls) {
      return pathPorts.stream().map(port -> url(port, tls)).toList();
    }

    private String listenClientUrls(boolean tls) {
      return Stream.concat(Stream.of(clientUrl(tls)), pathUrls(tls).stream()).collect(Collectors.joining(","));
    }

    private String url(int port, boolean tls) {
      return (tls ? "https" : "http") + "://" + address + ":" + port;
    }

    String peerUrl() {
      return "http://" + address + ":" + peerPort;
    }
  }

  static List<String> command(Path binary, Path directory, int clientPort, int peerPort, int metricsPort) {
    Member self = new Member("n1", clientPort, peerPort, metricsPort);
    return command(binary, directory, self, List.of(self));
  }

  static List<String> command(Path binary, Path directory, Member self, List<Member> cluster) {
    return command(binary, directory, self, cluster, Optional.empty());
  }

  static List<String> command(Path binary, Path directory, Member self, List<Member> cluster,
      Optional<LocalCertificates> tls) {
    List<String> command = new ArrayList<>(List.of(
        binary.toString(),
        "--name", self.name(),
        "--data-dir", directory.toString(),
        "--logger=zap",
        "--log-level=warn",
        "--listen-client-urls", self.listenClientUrls(tls.isPresent()),
        "--advertise-client-urls", self.clientUrl(tls.isPresent()),
        "--listen-peer-urls", self.peerUrl(),
        "--initial-advertise-peer-urls", self.peerUrl(),
        "--initial-cluster", cluster.stream().map(m -> m.name() + "=" + m.peerUrl())
            .collect(Collectors.joining(",")),
        "--initial-cluster-state", "new",
        "--listen-metrics-urls", "http://127.0.0.1:" + self.metricsPort()));
    tls.ifPresent(certificates -> command.addAll(List.of(
        "--cert-file", certificates.serverCertificateChain().toString(),
        "--key-file", certificates.serverKey().toString())));
    return List.copyOf(command);
  }

  String clientUrl() {
    return clientUrl;
  }

  @Override
  public String address() {
    return URI.create(clientUrl).getHost();
  }

  /** The client URLs of {@link Member#pathPorts}, in order. */
  List<String> pathUrls() {
    return pathUrls;
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
