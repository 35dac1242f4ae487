package dev.messenger.launcher;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real etcd, NATS (with JetStream) and a CQL store for development and tests.
 *
 * <p>Parts without an external endpoint in the {@link InfrastructureConfig} are started in parallel as child
 * processes on free 127.0.0.1 ports; each dies with this JVM even if it is killed. A local part can be
 * {@linkplain #restart restarted} on the same port and data, as after a crash of its machine's process.
 * {@link #close()} stops them and deletes a temporary data directory.
 */
public final class Infrastructure implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);
  public static final String ETCD = "etcd";
  public static final String NATS = "nats";
  public static final String CASSANDRA = "cassandra";
  /** The user the services log in as when the infrastructure requires logins. */
  public static final String SERVICE_USER = "messenger";
  /** The namespace whose NATS subjects and etcd keys the logins of an authenticated start may use by default. */
  public static final String DEFAULT_NAMESPACE = "msgr";
  /** As the services accept a namespace: a NATS subject token, part of a stream name and of an etcd key. */
  private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  private final InfrastructureEndpoints endpoints;
  private final Optional<NatsAuthorization> natsAuthorization;
  private final List<List<String>> etcdPathEndpoints;
  private final Map<String, Supplier<LocalServer>> launches;
  private final Map<String, LocalServer> servers = new ConcurrentHashMap<>();
  private final Set<String> restarting = ConcurrentHashMap.newKeySet();
  private final DataDirectory dataDirectory;
  private final CompletableFuture<String> unexpectedExit = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private Infrastructure(InfrastructureEndpoints endpoints, Optional<NatsAuthorization> natsAuthorization,
      List<List<String>> etcdPathEndpoints, Map<String, Supplier<LocalServer>> launches,
      Map<String, LocalServer> servers, DataDirectory dataDirectory) {
    this.endpoints = endpoints;
    this.natsAuthorization = natsAuthorization;
    this.etcdPathEndpoints = etcdPathEndpoints;
    this.launches = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(launches));
    this.dataDirectory = dataDirectory;
    servers.forEach(this::watch);
  }

  private void watch(String part, LocalServer server) {
    servers.put(part, server);
    ChildProcess process = server.process();
    process.onExit().thenRun(() -> {
      if (!closed.get() && !restarting.contains(part)) {
        unexpectedExit.complete(process.name());
      }
    });
  }

  /**
   * Starts what {@code config} does not point at externally and returns when every part answers.
   *
   * @throws InfrastructureException if a program is missing, or a part exits or does not answer in time (everything
   *     already started is stopped first)
   */
  public static Infrastructure start(InfrastructureConfig config) {
    return start(config, DEFAULT_NAMESPACE);
  }

  /**
   * {@link #start(InfrastructureConfig)} for a deployment in {@code namespace}: with authentication, each kind of
   * NATS user may use that namespace's subjects only ({@link #endpointsFor}).
   */
  public static Infrastructure start(InfrastructureConfig config, String namespace) {
    requireNamespace(namespace);
    long startedAt = System.nanoTime();
    Path etcdBinary = config.startsEtcd()
        ? Executables.require("etcd", "etcd-server", EnvironmentVariables.ETCD_ENDPOINTS)
        : null;
    Path natsBinary = config.startsNats()
        ? Executables.require("nats-server", "nats-server", EnvironmentVariables.NATS_URL)
        : null;
    String cassandraClasspath = config.startsCassandra() ? CassandraJvm.classpath() : null;

    Optional<Login> etcdLogin = config.authentication() && etcdBinary != null
        ? Optional.of(Login.generate(SERVICE_USER)) : Optional.empty();
    Optional<NatsAuthorization> natsAuthorization = config.authentication() && natsBinary != null
        ? Optional.of(NatsAuthorization.generate(namespace)) : Optional.empty();
    Optional<Login> natsLogin = natsAuthorization.map(authorization -> authorization.login(NatsUser.TOOLS));
    Optional<Login> cqlLogin = config.authentication() && cassandraClasspath != null
        ? Optional.of(Login.generate(SERVICE_USER)) : Optional.empty();
    DataDirectory data = DataDirectory.open(config.dataDirectory());
    int nodes = config.nodes();
    int paths = etcdBinary == null ? 0 : config.etcdPaths();
    int[] ports = FreePorts.pick(9 * nodes + 2 + nodes * paths);
    Map<String, Supplier<LocalServer>> launches = new LinkedHashMap<>();
    List<EtcdServer.Member> members = new ArrayList<>();
    if (etcdBinary != null) {
      for (int i = 0; i < nodes; i++) {
        int firstPathPort = 9 * nodes + 2 + i * paths;
        List<Integer> pathPorts = Arrays.stream(ports, firstPathPort, firstPathPort + paths).boxed().toList();
        String address = nodes == 1 ? "127.0.0.1" : EtcdServer.memberAddress(i);
        members.add(new EtcdServer.Member("n" + (i + 1), address, ports[3 * i], ports[3 * i + 1], ports[3 * i + 2],
            pathPorts));
      }
      for (int i = 0; i < nodes; i++) {
        String part = partName(ETCD, i, nodes);
        EtcdServer.Member self = members.get(i);
        launches.put(part, timed(part, () -> EtcdServer.start(
            etcdBinary, data.resolve(part), data.logFile(part), self, members, config.tls(),
            config.startupTimeout())));
      }
    }
    if (natsBinary != null) {
      int first = 3 * nodes;
      int[] routePorts = new int[nodes];
      for (int i = 0; i < nodes; i++) {
        routePorts[i] = ports[first + 3 * i + 2];
      }
      for (int i = 0; i < nodes; i++) {
        String part = partName(NATS, i, nodes);
        int index = i;
        launches.put(part, timed(part, () -> nodes == 1
            ? NatsServer.start(natsBinary, data.resolve(part), data.logFile(part), ports[first], ports[first + 1],
                config.jetStreamMaxMemoryBytes(), config.jetStreamMaxFileBytes(), natsAuthorization, config.tls(),
                config.startupTimeout())
            : NatsServer.startMember(natsBinary, data.resolve(part), data.logFile(part), index,
                ports[first + 3 * index], ports[first + 3 * index + 1], routePorts, config.jetStreamMaxMemoryBytes(),
                config.jetStreamMaxFileBytes(), natsAuthorization, config.tls(), config.startupTimeout())));
      }
    }
    if (cassandraClasspath != null) {
      int storagePort = ports[9 * nodes];
      int nativePort = ports[9 * nodes + 1];
      long[] tokens = evenTokens(nodes);
      for (int i = 0; i < nodes; i++) {
        String part = partName(CASSANDRA, i, nodes);
        int index = i;
        launches.put(part, timed(part, () -> nodes == 1
            ? CassandraNode.start(cassandraClasspath, data.resolve(part), data.logFile(part), storagePort,
                nativePort, config.cassandraHeap(), config.authentication(), config.tls(),
                config.cassandraStartupTimeout())
            : CassandraNode.startMember(cassandraClasspath, data.resolve(part), data.logFile(part), index, tokens,
                storagePort, nativePort, config.cassandraHeap(), config.authentication(), config.tls(),
                config.cassandraStartupTimeout())));
      }
    }

    Map<String, LocalServer> started = launchAll(launches, data);
    List<LocalServer> servers = List.copyOf(started.values());
    List<String> etcdUrls = all(servers, EtcdServer.class).stream().map(EtcdServer::clientUrl).toList();
    List<String> natsUrls = all(servers, NatsServer.class).stream().map(NatsServer::url).toList();
    List<InetSocketAddress> cqlNodes = all(servers, CassandraNode.class).stream().map(CassandraNode::contactPoint)
        .toList();
    if (cqlNodes.size() > 1) {
      CassandraRing.await(all(servers, CassandraNode.class), config.cassandraStartupTimeout());
    }
    cqlLogin.ifPresent(login -> stopAllIfFails(started, data, () -> CassandraServiceRole.create(cqlNodes,
        InfrastructureEndpoints.DEFAULT_DATACENTER, login, config.tls(), config.cassandraStartupTimeout())));
    etcdLogin.ifPresent(login -> stopAllIfFails(started, data,
        () -> EtcdAuthentication.enable(etcdUrls, login, namespace, config.tls(), config.startupTimeout())));
    InfrastructureEndpoints endpoints = new InfrastructureEndpoints(
        etcdUrls.isEmpty() ? config.externalEtcdEndpoints() : etcdUrls,
        natsUrls.isEmpty() ? config.externalNatsUrl().orElseThrow() : String.join(",", natsUrls),
        cqlNodes.isEmpty() ? config.externalCqlContactPoints() : cqlNodes,
        cqlNodes.isEmpty() ? config.cqlLocalDatacenter() : InfrastructureEndpoints.DEFAULT_DATACENTER,
        natsLogin, cqlLogin, etcdLogin, !cqlNodes.isEmpty() && config.tls().isPresent(),
        started.isEmpty() ? Optional.empty() : config.tls().map(LocalCertificates::caCertificate));
    log.info("infrastructure ready in {} ms (data in {}): {}",
        Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), data.path(), endpoints);
    List<List<String>> etcdPathEndpoints = new ArrayList<>();
    for (int path = 0; path < paths; path++) {
      int index = path;
      etcdPathEndpoints.add(all(servers, EtcdServer.class).stream().map(etcd -> etcd.pathUrls().get(index)).toList());
    }
    return new Infrastructure(endpoints, natsAuthorization, List.copyOf(etcdPathEndpoints), launches, started, data);
  }

  static String requireNamespace(String namespace) {
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("namespace must match " + NAMESPACE.pattern() + ": " + namespace);
    }
    return namespace;
  }

  /** Runs a step of the start after the processes answer; if it fails, stops them first. */
  private static void stopAllIfFails(Map<String, LocalServer> started, DataDirectory data, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      stopAll(List.copyOf(started.values()));
      data.close();
      throw e;
    }
  }

  /**
   * The parts running as local processes, by name ({@value #ETCD}, {@value #NATS}, {@value #CASSANDRA}; in a
   * cluster "etcd-1" to "etcd-3" and so on), with their pids.
   */
  public Map<String, Long> localParts() {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String part : launches.keySet()) {
      LocalServer server = servers.get(part);
      if (server != null) {
        pids.put(part, server.process().pid());
      }
    }
    return pids;
  }

  /**
   * The loopback address that only this local part listens on, if it has one: a local cluster's NATS servers
   * (127.0.0.11 to .13), etcd members (127.0.0.21 to .23) and store nodes (127.0.0.31 to .33). Such a part can
   * be cut off from the network as a whole.
   */
  public Optional<String> ownAddress(String part) {
    String address = server(part).address();
    return address.equals("127.0.0.1") ? Optional.empty() : Optional.of(address);
  }

  /** Whether the local part's current process is running. */
  public boolean isAlive(String part) {
    return server(part).process().isAlive();
  }

  /**
   * Stops a local part ({@code kill}: SIGKILL at once; otherwise SIGTERM, killed after its grace), starts it
   * again on the same ports with the same data, and returns once it answers.
   *
   * @throws InfrastructureException if it does not answer again in time
   */
  public synchronized PartRestart restart(String part, boolean kill) {
    LocalServer old = server(part);
    restarting.add(part);
    try {
      long begin = System.nanoTime();
      if (kill) {
        old.process().kill();
      } else if (!old.process().stop(old.stopGrace())) {
        log.warn("{} did not stop within {} s of SIGTERM and was killed", part, old.stopGrace().toSeconds());
      }
      long stopped = System.nanoTime();
      LocalServer fresh = launches.get(part).get();
      watch(part, fresh);
      long end = System.nanoTime();
      return new PartRestart(part, kill, old.process().pid(), fresh.process().pid(),
          Duration.ofNanos(stopped - begin), Duration.ofNanos(end - stopped));
    } finally {
      restarting.remove(part);
    }
  }

  /**
   * The members of each kind that runs as more than one local process ({@code "nats"} for "nats-1" to "nats-3"
   * in a cluster), so that all of them can be {@linkplain #restartAll restarted} at once.
   */
  public Map<String, List<String>> clusters() {
    Map<String, List<String>> clusters = new LinkedHashMap<>();
    for (String kind : List.of(ETCD, NATS, CASSANDRA)) {
      List<String> members = launches.keySet().stream().filter(part -> part.startsWith(kind + "-")).toList();
      if (members.size() > 1) {
        clusters.put(kind, members);
      }
    }
    return clusters;
  }

  /**
   * Stops every member of a cluster ({@code kill}: SIGKILL; otherwise SIGTERM), then starts them all again at
   * once (a member of a NATS or etcd cluster only answers healthy once it sees the others), and returns once
   * each answers, as after a power cut of every machine running that part.
   *
   * @throws InfrastructureException if a member does not answer again in time
   */
  public synchronized List<PartRestart> restartAll(String kind, boolean kill) {
    List<String> members = clusters().get(kind);
    if (members == null) {
      throw new IllegalArgumentException("no local cluster " + kind + "; clusters: " + clusters().keySet());
    }
    restarting.addAll(members);
    try {
      long begin = System.nanoTime();
      Map<String, LocalServer> old = new LinkedHashMap<>();
      members.forEach(part -> old.put(part, server(part)));
      if (kill) {
        old.values().forEach(server -> server.process().kill());
      } else {
        stopAll(List.copyOf(old.values()));
      }
      long stopped = System.nanoTime();
      ExecutorService starter = Executors.newFixedThreadPool(members.size());
      try {
        Map<String, CompletableFuture<LocalServer>> starts = new LinkedHashMap<>();
        members.forEach(part -> starts.put(part, CompletableFuture.supplyAsync(launches.get(part), starter)));
        List<PartRestart> restarts = new ArrayList<>();
        InfrastructureException failure = null;
        for (String part : members) {
          try {
            LocalServer fresh = starts.get(part).join();
            watch(part, fresh);
            restarts.add(new PartRestart(part, kill, old.get(part).process().pid(), fresh.process().pid(),
                Duration.ofNanos(stopped - begin), Duration.ofNanos(System.nanoTime() - stopped)));
          } catch (CompletionException e) {
            failure = failure != null ? failure : new InfrastructureException(part + " did not start again",
                e.getCause());
          }
        }
        if (failure != null) {
          throw failure;
        }
        return restarts;
      } finally {
        starter.shutdown();
      }
    } finally {
      restarting.removeAll(members);
    }
  }

  private LocalServer server(String part) {
    LocalServer server = servers.get(part);
    if (server == null) {
      throw new IllegalArgumentException("no local part " + part + "; local parts: " + servers.keySet());
    }
    return server;
  }

  /** What {@link #restart} did: the old and new pid, and how long stopping and starting took. */
  public record PartRestart(String part, boolean killed, long oldPid, long newPid, Duration stop, Duration start) {}

  /** Where each part can be reached. */
  public InfrastructureEndpoints endpoints() {
    return endpoints;
  }

  /**
   * The endpoints as {@code user} reaches them: with its own NATS login when this NATS requires logins (whose
   * permissions limit it to the subjects that kind uses); else {@link #endpoints()}, whose NATS login is the
   * tools' one.
   */
  public InfrastructureEndpoints endpointsFor(NatsUser user) {
    return natsAuthorization.map(authorization -> new InfrastructureEndpoints(endpoints.etcdEndpoints(),
        endpoints.natsUrl(), endpoints.cqlContactPoints(), endpoints.cqlLocalDatacenter(),
        Optional.of(authorization.login(user)), endpoints.cqlLogin(), endpoints.etcdLogin(), endpoints.cqlTls(),
        endpoints.infraCaFile())).orElse(endpoints);
  }

  /**
   * The client URLs of the local etcd's path {@code path} (0 to {@link InfrastructureConfig#etcdPaths} - 1), one
   * per member in member order: the same etcd as {@link InfrastructureEndpoints#etcdEndpoints}, through ports no
   * other path uses.
   *
   * @throws IllegalArgumentException if etcd is external or was started with fewer paths
   */
  public List<String> etcdPathEndpoints(int path) {
    if (path < 0 || path >= etcdPathEndpoints.size()) {
      throw new IllegalArgumentException("no etcd path " + path + "; the local etcd has " + etcdPathEndpoints.size());
    }
    return etcdPathEndpoints.get(path);
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
      stopAll(List.copyOf(servers.values()));
      dataDirectory.close();
      log.info("infrastructure stopped in {} ms", Duration.ofNanos(System.nanoTime() - stoppingAt).toMillis());
    }
  }

  private static Map<String, LocalServer> launchAll(Map<String, Supplier<LocalServer>> launches, DataDirectory data) {
    if (launches.isEmpty()) {
      return Map.of();
    }
    ExecutorService executor = Executors.newFixedThreadPool(launches.size(), runnable -> {
      Thread thread = new Thread(runnable, "infrastructure-start");
      thread.setDaemon(true);
      return thread;
    });
    Map<String, CompletableFuture<LocalServer>> futures = new LinkedHashMap<>();
    try {
      launches.forEach((part, launch) -> futures.put(part, CompletableFuture.supplyAsync(launch, executor)));
      CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
    } finally {
      executor.shutdown();
    }

    Map<String, LocalServer> started = new LinkedHashMap<>();
    RuntimeException failure = null;
    for (Map.Entry<String, CompletableFuture<LocalServer>> future : futures.entrySet()) {
      try {
        started.put(future.getKey(), future.getValue().join());
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
      stopAll(List.copyOf(started.values()));
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

  private static <T extends LocalServer> List<T> all(List<LocalServer> servers, Class<T> type) {
    return servers.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** "etcd" alone; "etcd-1", "etcd-2", ... in a cluster. */
  private static String partName(String kind, int index, int nodes) {
    return nodes == 1 ? kind : kind + "-" + (index + 1);
  }

  /** Tokens that split the Murmur3 ring into {@code nodes} equal ranges. */
  static long[] evenTokens(int nodes) {
    long[] tokens = new long[nodes];
    java.math.BigInteger span = java.math.BigInteger.ONE.shiftLeft(64);
    for (int i = 0; i < nodes; i++) {
      tokens[i] = span.multiply(java.math.BigInteger.valueOf(i)).divide(java.math.BigInteger.valueOf(nodes))
          .add(java.math.BigInteger.valueOf(Long.MIN_VALUE)).longValueExact();
    }
    return tokens;
  }

  @Override
  public String toString() {
    return "Infrastructure" + endpoints;
  }
}
