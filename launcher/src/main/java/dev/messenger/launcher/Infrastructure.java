package dev.messenger.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real etcd, NATS (with JetStream) and a CQL store for development and tests.
 *
 * <p>Parts without an external endpoint in the {@link InfrastructureConfig} are started in parallel as child
 * processes on free 127.0.0.1 ports; each dies with this JVM even if it is killed. {@link #close()} stops them and
 * deletes a temporary data directory.
 */
public final class Infrastructure implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

  private final InfrastructureEndpoints endpoints;
  private final List<LocalServer> servers;
  private final DataDirectory dataDirectory;
  private final CompletableFuture<String> unexpectedExit = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private Infrastructure(InfrastructureEndpoints endpoints, List<LocalServer> servers, DataDirectory dataDirectory) {
    this.endpoints = endpoints;
    this.servers = List.copyOf(servers);
    this.dataDirectory = dataDirectory;
    for (LocalServer server : this.servers) {
      ChildProcess process = server.process();
      process.onExit().thenRun(() -> {
        if (!closed.get()) {
          unexpectedExit.complete(process.name());
        }
      });
    }
  }

  /**
   * Starts what {@code config} does not point at externally and returns when every part answers.
   *
   * @throws InfrastructureException if a program is missing, or a part exits or does not answer in time (everything
   *     already started is stopped first)
   */
  public static Infrastructure start(InfrastructureConfig config) {
    long startedAt = System.nanoTime();
    Path etcdBinary = config.startsEtcd()
        ? Executables.require("etcd", "etcd-server", EnvironmentVariables.ETCD_ENDPOINTS)
        : null;
    Path natsBinary = config.startsNats()
        ? Executables.require("nats-server", "nats-server", EnvironmentVariables.NATS_URL)
        : null;
    String cassandraClasspath = config.startsCassandra() ? CassandraJvm.classpath() : null;

    DataDirectory data = DataDirectory.open(config.dataDirectory());
    int[] ports = FreePorts.pick(7);
    List<Supplier<LocalServer>> launches = new ArrayList<>();
    if (etcdBinary != null) {
      launches.add(timed("etcd", () -> EtcdServer.start(
          etcdBinary, data.resolve("etcd"), data.logFile("etcd"), ports[0], ports[1], ports[2],
          config.startupTimeout())));
    }
    if (natsBinary != null) {
      launches.add(timed("nats-server", () -> NatsServer.start(
          natsBinary, data.resolve("nats"), data.logFile("nats"), ports[3], ports[4],
          config.jetStreamMaxMemoryBytes(), config.jetStreamMaxFileBytes(), config.startupTimeout())));
    }
    if (cassandraClasspath != null) {
      launches.add(timed("cassandra", () -> CassandraNode.start(
          cassandraClasspath, data.resolve("cassandra"), data.logFile("cassandra"), ports[5], ports[6],
          config.cassandraHeap(), config.cassandraStartupTimeout())));
    }

    List<LocalServer> servers = launchAll(launches, data);
    InfrastructureEndpoints endpoints = new InfrastructureEndpoints(
        find(servers, EtcdServer.class).map(etcd -> List.of(etcd.clientUrl())).orElse(config.externalEtcdEndpoints()),
        find(servers, NatsServer.class).map(NatsServer::url).orElseGet(() -> config.externalNatsUrl().orElseThrow()),
        find(servers, CassandraNode.class).map(node -> List.of(node.contactPoint()))
            .orElse(config.externalCqlContactPoints()),
        find(servers, CassandraNode.class).isPresent()
            ? InfrastructureEndpoints.DEFAULT_DATACENTER
            : config.cqlLocalDatacenter());
    log.info("infrastructure ready in {} ms (data in {}): {}",
        Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), data.path(), endpoints);
    return new Infrastructure(endpoints, servers, data);
  }

  /** Where each part can be reached. */
  public InfrastructureEndpoints endpoints() {
    return endpoints;
  }

  /** Completes with the name of the first local process that exits on its own, before {@link #close()}. */
  public CompletableFuture<String> unexpectedExit() {
    return unexpectedExit.copy();
  }

  /** Stops the local processes (SIGTERM, then SIGKILL after a grace period) and deletes temporary data. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      long stoppingAt = System.nanoTime();
      stopAll(servers);
      dataDirectory.close();
      log.info("infrastructure stopped in {} ms", Duration.ofNanos(System.nanoTime() - stoppingAt).toMillis());
    }
  }

  private static List<LocalServer> launchAll(List<Supplier<LocalServer>> launches, DataDirectory data) {
    if (launches.isEmpty()) {
      return List.of();
    }
    ExecutorService executor = Executors.newFixedThreadPool(launches.size(), runnable -> {
      Thread thread = new Thread(runnable, "infrastructure-start");
      thread.setDaemon(true);
      return thread;
    });
    List<CompletableFuture<LocalServer>> futures = new ArrayList<>();
    try {
      for (Supplier<LocalServer> launch : launches) {
        futures.add(CompletableFuture.supplyAsync(launch, executor));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
    } finally {
      executor.shutdown();
    }

    List<LocalServer> started = new ArrayList<>();
    RuntimeException failure = null;
    for (CompletableFuture<LocalServer> future : futures) {
      try {
        started.add(future.join());
      } catch (CompletionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException runtime
            ? runtime
            : new InfrastructureException("infrastructure start failed", e.getCause());
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      stopAll(started);
      data.close();
      throw failure;
    }
    return started;
  }

  private static Supplier<LocalServer> timed(String name, Supplier<LocalServer> launch) {
    return () -> {
      long startedAt = System.nanoTime();
      LocalServer server = launch.get();
      log.info("{} answered after {} ms (pid {})", name,
          Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), server.process().pid());
      return server;
    };
  }

  private static void stopAll(List<LocalServer> servers) {
    servers.forEach(server -> server.process().terminate());
    for (LocalServer server : servers) {
      ChildProcess process = server.process();
      if (!process.awaitExit(server.stopGrace())) {
        log.warn("{} did not stop within {} s of SIGTERM; killing it", process.name(),
            server.stopGrace().toSeconds());
        process.kill();
      }
    }
  }

  private static <T extends LocalServer> Optional<T> find(List<LocalServer> servers, Class<T> type) {
    return servers.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  @Override
  public String toString() {
    return "Infrastructure" + endpoints;
  }
}
