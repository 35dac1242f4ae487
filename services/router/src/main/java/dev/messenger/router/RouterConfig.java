package dev.messenger.router;

import dev.messenger.common.config.SharedDefaults;
import dev.messenger.common.Subjects;
import dev.messenger.common.config.Settings;
import dev.messenger.common.server.ServerTls;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** Router settings; see {@link #from(Settings)} for the flag names. */
public record RouterConfig(
    String routerId,
    String grpcHost,
    int grpcPort,
    int metricsPort,
    int shards,
    Duration leaseTtl,
    Duration reconcileInterval,
    int workerThreads,
    Subjects subjects,
    Optional<ServerTls> tls,
    boolean fenceByLease) {

  public RouterConfig {
    tls = tls == null ? Optional.empty() : tls;
    if (routerId == null || routerId.isBlank()) {
      routerId = "router-" + UUID.randomUUID().toString().substring(0, 8);
    }
    if (shards < 1 || shards > 4096) {
      throw new IllegalArgumentException("shards must be 1..4096 and the same on every router");
    }
    if (leaseTtl.toSeconds() < 2) {
      throw new IllegalArgumentException("lease TTL must be at least 2 s");
    }
    if (workerThreads < 1) {
      throw new IllegalArgumentException("worker threads must be at least 1");
    }
  }

  /** The same settings in another namespace (tests give each cluster its own). */
  public RouterConfig withSubjects(Subjects other) {
    return new RouterConfig(routerId, grpcHost, grpcPort, metricsPort, shards, leaseTtl, reconcileInterval,
        workerThreads, other, tls, fenceByLease);
  }

  /** Another shard count (it must match the session servers'; see {@code ShardCountAgreement}). */
  public RouterConfig withShards(int count) {
    return new RouterConfig(routerId, grpcHost, grpcPort, metricsPort, count, leaseTtl, reconcileInterval,
        workerThreads, subjects, tls, fenceByLease);
  }

  /** Defaults for tests and single-machine runs. */
  public static RouterConfig defaults(String routerId) {
    return new RouterConfig(routerId, "127.0.0.1", 0, 0, SharedDefaults.ROUTER_SHARDS, Duration.ofSeconds(5),
        Duration.ofMillis(500), 4, Subjects.defaults(), Optional.empty(), false);
  }

  /** The same settings, with every commit confirmed by an epoch read ({@code --fence=read}) or not. */
  public RouterConfig withFenceByLease(boolean byLease) {
    return new RouterConfig(routerId, grpcHost, grpcPort, metricsPort, shards, leaseTtl, reconcileInterval,
        workerThreads, subjects, tls, byLease);
  }

  /**
   * {@code --fence}: {@code read} (default) confirms every commit by reading the shard's epoch back;
   * {@code lease} lets a commit skip that read while the shard's etcd key is certainly still this router's,
   * which relies on the router's monotonic clock advancing through every pause of its process or machine
   * (a VM suspended or migrated for half the lease TTL without its clock advancing breaks it) and on etcd
   * not revoking leases early.
   */
  private static boolean fence(Settings s) {
    String fence = s.string("fence", "read");
    return switch (fence) {
      case "lease" -> true;
      case "read" -> false;
      default -> throw new IllegalArgumentException("fence must be lease or read, not " + fence);
    };
  }

  public static RouterConfig from(Settings s) {
    return new RouterConfig(
        s.string("router-id", ""),
        s.string("grpc-host", "127.0.0.1"),
        s.integer("grpc-port", 7200),
        s.integer("metrics-port", 9200),
        s.integer("shards", SharedDefaults.ROUTER_SHARDS),
        s.duration("lease-ttl", Duration.ofSeconds(5)),
        s.duration("reconcile-interval", Duration.ofMillis(500)),
        s.integer("worker-threads", 4),
        new Subjects(s.string("namespace", Subjects.DEFAULT_NAMESPACE)), ServerTls.from(s), fence(s));
  }
}
