package dev.messenger.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A nats-server with JetStream, listening on 127.0.0.1 only. */
final class NatsServer implements LocalServer {
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final ChildProcess process;
  private final String url;

  private NatsServer(ChildProcess process, String url) {
    this.process = process;
    this.url = url;
  }

  static NatsServer start(
      Path binary, Path directory, Path logFile, int clientPort, int monitorPort,
      long maxMemoryBytes, long maxFileBytes, Duration timeout) {
    Path configFile = directory.resolve("nats.conf");
    try {
      Files.createDirectories(directory);
      Files.writeString(
          configFile, config(clientPort, monitorPort, directory.resolve("jetstream"), maxMemoryBytes, maxFileBytes));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + configFile, e);
    }
    ChildProcess process = ChildProcess.builder("nats-server")
        .command(List.of(binary.toString(), "-c", configFile.toString()))
        .logFile(logFile)
        .stopGrace(STOP_GRACE)
        .start();
    Readiness.await(process, timeout, Readiness.httpOk(URI.create("http://127.0.0.1:" + monitorPort + "/healthz")));
    return new NatsServer(process, "nats://127.0.0.1:" + clientPort);
  }

  static String config(int clientPort, int monitorPort, Path storeDirectory, long maxMemoryBytes, long maxFileBytes) {
    return """
        server_name: messenger
        listen: "127.0.0.1:%d"
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
        """.formatted(clientPort, monitorPort, Quoting.quoted(storeDirectory.toString()), maxMemoryBytes, maxFileBytes);
  }

  String url() {
    return url;
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
