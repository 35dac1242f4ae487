package dev.messenger.launcher;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@link Infrastructure#start} starts and how. Each external endpoint given is used instead of starting that part
 * locally: that is how a running etcd cluster, NATS cluster or ScyllaDB cluster is reached.
 *
 * @param externalEtcdEndpoints etcd client URLs to use; empty to start a local etcd
 * @param externalNatsUrl NATS URL to use; empty to start a local nats-server with JetStream
 * @param externalCqlContactPoints CQL contact points to use; empty to start a local Cassandra
 * @param cqlLocalDatacenter the CQL local datacenter (a local Cassandra is always {@code datacenter1})
 * @param dataDirectory where local processes keep data and logs; empty for a fresh temporary directory that is
 *     deleted on close (a given directory is kept)
 * @param cassandraHeap heap of the local Cassandra JVM, in {@code -Xmx} syntax
 * @param jetStreamMaxMemoryBytes JetStream memory storage limit of the local nats-server
 * @param jetStreamMaxFileBytes JetStream file storage limit of the local nats-server
 * @param startupTimeout how long etcd and nats-server may take to answer
 * @param cassandraStartupTimeout how long Cassandra may take to accept CQL connections
 * @param nodes 1, or 3 for a cluster of each local part (three etcd members, three clustered NATS servers,
 *     three Cassandra nodes on 127.0.0.1-3)
 * @param authentication whether the local etcd, nats-server and Cassandra refuse clients without a login; the
 *     logins are generated at start and handed on in {@link InfrastructureEndpoints}
 * @param tls certificates with which the local etcd, nats-server and Cassandra serve TLS only on their client
 *     ports (peer, route and internode traffic stays plaintext on loopback); empty for plaintext
 * @param etcdPaths how many client ports each local etcd member opens besides its main one, each a path of its
 *     own for one client that a fault may cut off ({@link Infrastructure#etcdPathEndpoints})
 */
public record InfrastructureConfig(
    List<String> externalEtcdEndpoints,
    Optional<String> externalNatsUrl,
    List<InetSocketAddress> externalCqlContactPoints,
    String cqlLocalDatacenter,
    Optional<Path> dataDirectory,
    String cassandraHeap,
    long jetStreamMaxMemoryBytes,
    long jetStreamMaxFileBytes,
    Duration startupTimeout,
    Duration cassandraStartupTimeout,
    int nodes,
    boolean authentication,
    Optional<LocalCertificates> tls,
    int etcdPaths) {

  /** How many nodes of each local part a cluster has. */
  static final int CLUSTER_NODES = 3;
  private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");

  public InfrastructureConfig {
    externalEtcdEndpoints = externalEtcdEndpoints == null ? List.of() : List.copyOf(externalEtcdEndpoints);
    externalNatsUrl = externalNatsUrl == null ? Optional.empty() : externalNatsUrl;
    externalCqlContactPoints = externalCqlContactPoints == null ? List.of() : List.copyOf(externalCqlContactPoints);
    cqlLocalDatacenter = cqlLocalDatacenter == null ? InfrastructureEndpoints.DEFAULT_DATACENTER : cqlLocalDatacenter;
    dataDirectory = dataDirectory == null ? Optional.empty() : dataDirectory;
    cassandraHeap = cassandraHeap == null ? "1g" : cassandraHeap;
    jetStreamMaxMemoryBytes = jetStreamMaxMemoryBytes == 0 ? 256L << 20 : jetStreamMaxMemoryBytes;
    jetStreamMaxFileBytes = jetStreamMaxFileBytes == 0 ? 1L << 30 : jetStreamMaxFileBytes;
    startupTimeout = startupTimeout == null ? Duration.ofSeconds(30) : startupTimeout;
    cassandraStartupTimeout = cassandraStartupTimeout == null ? Duration.ofSeconds(120) : cassandraStartupTimeout;
    nodes = nodes == 0 ? 1 : nodes;
    tls = tls == null ? Optional.empty() : tls;
    if (etcdPaths < 0) {
      throw new IllegalArgumentException("etcdPaths must not be negative");
    }
    if (nodes != 1 && nodes != CLUSTER_NODES) {
      throw new IllegalArgumentException("a local part runs as 1 node or as a cluster of " + CLUSTER_NODES + ", not "
          + nodes);
    }

    if (!HEAP.matcher(cassandraHeap).matches()) {
      throw new IllegalArgumentException("cassandraHeap must look like 512m or 1g, not '" + cassandraHeap + "'");
    }
    if (jetStreamMaxMemoryBytes < 0 || jetStreamMaxFileBytes < 0) {
      throw new IllegalArgumentException("JetStream limits must be positive");
    }
    if (startupTimeout.isNegative() || startupTimeout.isZero()
        || cassandraStartupTimeout.isNegative() || cassandraStartupTimeout.isZero()) {
      throw new IllegalArgumentException("startup timeouts must be positive");
    }
  }

  /** Without TLS and without client ports besides each etcd member's main one. */
  public InfrastructureConfig(List<String> externalEtcdEndpoints, Optional<String> externalNatsUrl,
      List<InetSocketAddress> externalCqlContactPoints, String cqlLocalDatacenter, Optional<Path> dataDirectory,
      String cassandraHeap, long jetStreamMaxMemoryBytes, long jetStreamMaxFileBytes, Duration startupTimeout,
      Duration cassandraStartupTimeout, int nodes, boolean authentication) {
    this(externalEtcdEndpoints, externalNatsUrl, externalCqlContactPoints, cqlLocalDatacenter, dataDirectory,
        cassandraHeap, jetStreamMaxMemoryBytes, jetStreamMaxFileBytes, startupTimeout, cassandraStartupTimeout, nodes,
        authentication, Optional.empty(), 0);
  }

  /** Starts everything locally in a temporary directory, with default limits. */
  public static InfrastructureConfig defaults() {
    return new InfrastructureConfig(null, null, null, null, null, null, 0, 0, null, null, 1, false);
  }

  /**
   * Defaults, overridden by MESSENGER_ETCD_ENDPOINTS, MESSENGER_NATS_URL, MESSENGER_CQL_CONTACT_POINTS,
   * MESSENGER_CQL_DATACENTER and MESSENGER_DATA_DIR where set.
   */
  public static InfrastructureConfig fromEnvironment(Map<String, String> env) {
    requireNonNull(env, "env");
    return new InfrastructureConfig(
        EnvironmentVariables.list(env, EnvironmentVariables.ETCD_ENDPOINTS),
        EnvironmentVariables.value(env, EnvironmentVariables.NATS_URL),
        EnvironmentVariables.hostPorts(env, EnvironmentVariables.CQL_CONTACT_POINTS),
        EnvironmentVariables.value(env, EnvironmentVariables.CQL_DATACENTER).orElse(null),
        EnvironmentVariables.value(env, EnvironmentVariables.DATA_DIR).map(Path::of),
        null,
        0,
        0,
        null,
        null,
        1,
        false);
  }

  /** A copy that keeps local data in {@code directory} instead of a temporary directory. */
  public InfrastructureConfig withDataDirectory(Path directory) {
    return new InfrastructureConfig(
        externalEtcdEndpoints, externalNatsUrl, externalCqlContactPoints, cqlLocalDatacenter,
        Optional.of(directory), cassandraHeap, jetStreamMaxMemoryBytes, jetStreamMaxFileBytes,
        startupTimeout, cassandraStartupTimeout, nodes, authentication, tls, etcdPaths);
  }

  /** A copy with another Cassandra heap size, e.g. {@code 1g}. */
  public InfrastructureConfig withCassandraHeap(String heap) {
    return new InfrastructureConfig(
        externalEtcdEndpoints, externalNatsUrl, externalCqlContactPoints, cqlLocalDatacenter,
        dataDirectory, heap, jetStreamMaxMemoryBytes, jetStreamMaxFileBytes,
        startupTimeout, cassandraStartupTimeout, nodes, authentication, tls, etcdPaths);
  }

  /**
   * A copy that starts {@code count} nodes of each local part: 1, or a cluster of 3 (Cassandra then with a
   * 512 MiB heap per node unless {@link #withCassandraHeap} says otherwise afterwards).
   */
  public InfrastructureConfig withNodes(int count) {
    return new InfrastructureConfig(
        externalEtcdEndpoints, externalNatsUrl, externalCqlContactPoints, cqlLocalDatacenter,
        dataDirectory, count == 3 && cassandraHeap.equals("1g") ? "512m" : cassandraHeap, jetStreamMaxMemoryBytes,
        jetStreamMaxFileBytes, startupTimeout, cassandraStartupTimeout, count, authentication, tls, etcdPaths);
  }

  /**
   * A copy whose local etcd requires a user and password (authentication is turned on once the members answer,
   * with a user for the services), whose local nats-server requires one too, and whose local Cassandra requires
   * a login ({@code PasswordAuthenticator}, with {@code CassandraAuthorizer}) and has a role for the services.
   */
  public InfrastructureConfig withAuthentication() {
    return new InfrastructureConfig(
        externalEtcdEndpoints, externalNatsUrl, externalCqlContactPoints, cqlLocalDatacenter,
        dataDirectory, cassandraHeap, jetStreamMaxMemoryBytes, jetStreamMaxFileBytes,
        startupTimeout, cassandraStartupTimeout, nodes, true, tls, etcdPaths);
  }

  /**
   * A copy whose local etcd (https:// client URLs), nats-server (a tls block on its client port) and Cassandra
   * (client encryption, not optional) serve TLS only with the server certificate of {@code certificates}.
   */
  public InfrastructureConfig withTls(LocalCertificates certificates) {
    return new InfrastructureConfig(
        externalEtcdEndpoints, externalNatsUrl, externalCqlContactPoints, cqlLocalDatacenter,
        dataDirectory, cassandraHeap, jetStreamMaxMemoryBytes, jetStreamMaxFileBytes,
        startupTimeout, cassandraStartupTimeout, nodes, authentication, Optional.of(certificates), etcdPaths);
  }

  /** A copy whose local etcd members each open {@code count} client ports of their own besides the main one. */
  public InfrastructureConfig withEtcdPaths(int count) {
    return new InfrastructureConfig(
        externalEtcdEndpoints, externalNatsUrl, externalCqlContactPoints, cqlLocalDatacenter,
        dataDirectory, cassandraHeap, jetStreamMaxMemoryBytes, jetStreamMaxFileBytes,
        startupTimeout, cassandraStartupTimeout, nodes, authentication, tls, count);
  }

  boolean startsEtcd() {
    return externalEtcdEndpoints.isEmpty();
  }

  boolean startsNats() {
    return externalNatsUrl.isEmpty();
  }

  boolean startsCassandra() {
    return externalCqlContactPoints.isEmpty();
  }
}
