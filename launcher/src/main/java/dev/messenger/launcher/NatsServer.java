package dev.messenger.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A nats-server with JetStream on loopback: alone on 127.0.0.1, or member {@code i} of a local cluster on an
 * address of its own ({@link #memberAddress}), for clients and routes alike, so that it can be cut off from the
 * network as a whole. The monitoring port stays on 127.0.0.1.
 */
final class NatsServer implements LocalServer {
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final ChildProcess process;
  private final String url;

  private NatsServer(ChildProcess process, String url) {
    this.process = process;
    this.url = url;
  }

  /** The address member {@code index} of a local cluster listens on: 127.0.0.11, .12, .13. */
  static String memberAddress(int index) {
    return "127.0.0." + (11 + index);
  }

  /** Starts a nats-server alone; with an {@code authorization}, clients must log in as one of its users. */
  static NatsServer start(
      Path binary, Path directory, Path logFile, int clientPort, int monitorPort,
      long maxMemoryBytes, long maxFileBytes, Optional<NatsAuthorization> authorization,
      Optional<LocalCertificates> tls, Duration timeout) {
    return start(binary, directory, logFile, config(clientPort, monitorPort, directory.resolve("jetstream"),
        maxMemoryBytes, maxFileBytes, authorization) + tls.map(NatsServer::tls).orElse(""), "nats-server",
        "127.0.0.1", clientPort, monitorPort, tls.isPresent(), timeout);
  }

  /**
   * Starts member {@code index} of a cluster whose route ports are {@code routePorts}; ready once it answers
   * its health check (JetStream's meta group needs a majority of the members for that).
   */
  static NatsServer startMember(
      Path binary, Path directory, Path logFile, int index, int clientPort, int monitorPort, int[] routePorts,
      long maxMemoryBytes, long maxFileBytes, Optional<NatsAuthorization> authorization,
      Optional<LocalCertificates> tls, Duration timeout) {
    String address = memberAddress(index);
    String config = config(address, clientPort, monitorPort, directory.resolve("jetstream"), maxMemoryBytes,
        maxFileBytes, authorization).replace("server_name: messenger", "server_name: messenger-" + (index + 1))
        + tls.map(NatsServer::tls).orElse("")
        + cluster(index, routePorts, authorization.map(NatsAuthorization::routeLogin));
    return start(binary, directory, logFile, config, "nats-" + (index + 1), address, clientPort, monitorPort,
        tls.isPresent(), timeout);
  }

  private static NatsServer start(Path binary, Path directory, Path logFile, String config, String name,
      String address, int clientPort, int monitorPort, boolean tls, Duration timeout) {
    Path configFile = directory.resolve("nats.conf");
    try {
      Files.createDirectories(directory);
      Files.deleteIfExists(configFile);
      // The file may hold the NATS password: readable by this user only, from its creation on.
      Files.createFile(configFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(configFile, config);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + configFile, e);
    }
    ChildProcess process = ChildProcess.builder(name)
        .command(List.of(binary.toString(), "-c", configFile.toString()))
        .logFile(logFile)
        .stopGrace(STOP_GRACE)
        .start();
    Readiness.await(process, timeout, Readiness.httpOk(URI.create("http://127.0.0.1:" + monitorPort + "/healthz")));
    return new NatsServer(process, (tls ? "tls" : "nats") + "://" + address + ":" + clientPort);
  }

  static String config(int clientPort, int monitorPort, Path storeDirectory, long maxMemoryBytes, long maxFileBytes) {
    return config(clientPort, monitorPort, storeDirectory, maxMemoryBytes, maxFileBytes, Optional.empty());
  }

  static String config(int clientPort, int monitorPort, Path storeDirectory, long maxMemoryBytes, long maxFileBytes,
      Optional<NatsAuthorization> authorization) {
    return config("127.0.0.1", clientPort, monitorPort, storeDirectory, maxMemoryBytes, maxFileBytes, authorization);
  }

  private static String config(String address, int clientPort, int monitorPort, Path storeDirectory,
      long maxMemoryBytes, long maxFileBytes, Optional<NatsAuthorization> authorization) {
    return authorization.map(NatsAuthorization::render).orElse("") + """
        server_name: messenger
        listen: "%s:%d"
        http: "127.0.0.1:%d"
        # A client that stops answering (a paused or hung process) is cut within about 6 s and loses its
        # queue subscriptions, so requests stop going to a router that cannot serve them.
        ping_interval: "2s"
        ping_max: 2
        jetstream {
          store_dir: %s
          max_memory_store: %d
          max_file_store: %d
        }
        """.formatted(address, clientPort, monitorPort, Quoting.quoted(storeDirectory.toString()), maxMemoryBytes,
            maxFileBytes);
  }

  /** The client port serves TLS only with this certificate; routes and the monitoring port stay plaintext. */
  static String tls(LocalCertificates certificates) {
    return """
        tls {
          cert_file: %s
          key_file: %s
        }
        """.formatted(Quoting.quoted(certificates.serverCertificateChain().toString()),
            Quoting.quoted(certificates.serverKey().toString()));
  }

  /** Routes must log in as this one user. */
  private static String routeAuthorization(Login login) {
    return """
        authorization {
          user: %s
          password: %s
        }
        """.formatted(Quoting.quoted(login.user()), Quoting.quoted(login.password()));
  }

  static String cluster(int index, int[] routePorts) {
    return cluster(index, routePorts, Optional.empty());
  }

  /** With a {@code login}, members accept only routes that present it, and present it to the others. */
  static String cluster(int index, int[] routePorts, Optional<Login> login) {
    String userInfo = login.map(l -> l.user() + ":" + l.password() + "@").orElse("");
    StringBuilder routes = new StringBuilder();
    for (int i = 0; i < routePorts.length; i++) {
      if (i != index) {
        routes.append("    \"nats://").append(userInfo).append(memberAddress(i)).append(':').append(routePorts[i])
            .append("\"\n");
      }
    }
    String routeAuthorization = login.map(l -> routeAuthorization(l).indent(2)).orElse("");
    return """
        cluster {
          name: messenger
          listen: "%s:%d"
        %s  routes: [
        %s  ]
        }
        """.formatted(memberAddress(index), routePorts[index], routeAuthorization, routes);
  }

  String url() {
    return url;
  }

  @Override
  public String address() {
    return URI.create(url).getHost();
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
