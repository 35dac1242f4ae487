package dev.messenger.presence;

import dev.messenger.common.auth.TokenKeys;
import static java.util.Objects.requireNonNull;

import dev.messenger.common.Subjects;
import dev.messenger.common.config.Settings;
import dev.messenger.presence.client.PresencePartitions;
import dev.messenger.presence.store.PresenceStoreConfig;
import dev.messenger.common.server.ServerTls;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Presence instance settings; see {@link #from(Settings, String)} for the flag names.
 *
 * @param instanceId unique among presence instances; random when blank
 * @param grpcHost interface the API listens on
 * @param grpcPort API port (0: any free port)
 * @param metricsPort Prometheus port
 * @param tokenKey the token signing key shared with the other services
 * @param store keyspace and consistency
 * @param partitions partition count; session servers' reporters must use the same
 * @param grace offline is shown only after the last stream has been gone this long
 * @param onlineDelay online is shown only after the first stream has lived this long
 * @param warmup after taking a partition, nobody is shown offline before this has passed (at least one
 *     reporter refresh interval)
 * @param leaseTtl etcd lease of this instance: how long its partitions stay orphaned if it dies
 * @param reconcileInterval how often partition ownership is checked
 * @param refreshInterval refresh interval of this instance's own reporter (WatchPresence watches)
 * @param tickInterval how often due changes are published: the resolution of grace and delay
 * @param subjects the deployment's namespace: NATS subjects and etcd keys ({@code /<ns>/presence/},
 *     {@code /<ns>/sessions/})
 * @param maxContacts most contacts told of one change
 * @param watchRate WatchPresence calls a second per user on this instance (bursts of twice that); more are
 *     RESOURCE_EXHAUSTED (WATCH_RATE_LIMITED)
 */
public record PresenceConfig(
    String instanceId,
    String grpcHost,
    int grpcPort,
    int metricsPort,
    TokenKeys tokenKey,
    PresenceStoreConfig store,
    int partitions,
    Duration grace,
    Duration onlineDelay,
    Duration warmup,
    Duration leaseTtl,
    Duration reconcileInterval,
    Duration refreshInterval,
    Duration tickInterval,
    Subjects subjects,
    int maxContacts,
    int watchRate,
    Optional<ServerTls> tls) {

  /** Watch calls a second per user: the web opens one per page load or watch-list change. */
  static final int DEFAULT_WATCH_RATE = 20;

  public PresenceConfig {
    tls = tls == null ? Optional.empty() : tls;
    if (instanceId == null || instanceId.isBlank()) {
      instanceId = "presence-" + UUID.randomUUID().toString().substring(0, 8);
    }
    requireNonNull(grpcHost, "grpcHost");
    requireNonNull(tokenKey, "tokenKey");
    requireNonNull(store, "store");
    requireNonNull(subjects, "subjects");
    new PresenceTimings(grace, onlineDelay, warmup); // validates
    if (partitions < 1 || partitions > 4096 || leaseTtl.toSeconds() < 1 || reconcileInterval.toMillis() < 10
        || refreshInterval.toMillis() < 10 || tickInterval.toMillis() < 1 || maxContacts < 1
        || watchRate < 1) {
      throw new IllegalArgumentException("invalid presence settings");
    }
  }

  /**
   * Grace 5 s, online delay 1 s, warm-up 5 s, 64 partitions, lease 5 s, ownership checked every second,
   * changes published within 100 ms of becoming due.
   */
  public static PresenceConfig defaults(String tokenKey) {
    return new PresenceConfig("", "127.0.0.1", 7400, 9400, TokenKeys.of(tokenKey), PresenceStoreConfig.defaults(),
        PresencePartitions.DEFAULT_COUNT, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5),
        Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(100),
        Subjects.defaults(), 5000, DEFAULT_WATCH_RATE, Optional.empty());
  }

  /**
   * Reads {@code instance-id}, {@code grpc-host}, {@code grpc-port} (7400), {@code metrics-port} (9400),
   * {@code token-key}, {@code partitions}, {@code grace}, {@code online-delay}, {@code warmup},
   * {@code lease-ttl}, {@code reconcile-interval}, {@code refresh-interval}, {@code tick},
   * {@code namespace}, {@code max-contacts}, {@code watch-rate} and the store's {@code cql-*} settings.
   */
  public static PresenceConfig from(Settings s, TokenKeys tokenKeys) {
    PresenceConfig d = defaults(tokenKeys.signing());
    return new PresenceConfig(
        s.string("instance-id", ""),
        s.string("grpc-host", d.grpcHost()),
        s.integer("grpc-port", d.grpcPort()),
        s.integer("metrics-port", d.metricsPort()),
        tokenKeys,
        PresenceStoreConfig.from(s),
        s.integer("partitions", d.partitions()),
        s.duration("grace", d.grace()),
        s.duration("online-delay", d.onlineDelay()),
        s.duration("warmup", d.warmup()),
        s.duration("lease-ttl", d.leaseTtl()),
        s.duration("reconcile-interval", d.reconcileInterval()),
        s.duration("refresh-interval", d.refreshInterval()),
        s.duration("tick", d.tickInterval()),
        new Subjects(s.string("namespace", Subjects.DEFAULT_NAMESPACE)),
        s.integer("max-contacts", d.maxContacts()),
        s.integer("watch-rate", d.watchRate()), ServerTls.from(s));
  }

  PresenceTimings timings() {
    return new PresenceTimings(grace, onlineDelay, warmup);
  }

  public PresenceConfig withInstanceId(String id) {
    return new PresenceConfig(id, grpcHost, grpcPort, metricsPort, tokenKey, store, partitions, grace,
        onlineDelay, warmup, leaseTtl, reconcileInterval, refreshInterval, tickInterval, subjects,
        maxContacts, watchRate, tls);
  }

  /** Listens on any free port, without a fixed metrics port (tests). */
  public PresenceConfig withEphemeralPorts() {
    return new PresenceConfig(instanceId, grpcHost, 0, 0, tokenKey, store, partitions, grace, onlineDelay,
        warmup, leaseTtl, reconcileInterval, refreshInterval, tickInterval, subjects, maxContacts, watchRate, tls);
  }

  public PresenceConfig withStore(PresenceStoreConfig storeConfig) {
    return new PresenceConfig(instanceId, grpcHost, grpcPort, metricsPort, tokenKey, storeConfig, partitions,
        grace, onlineDelay, warmup, leaseTtl, reconcileInterval, refreshInterval, tickInterval, subjects,
        maxContacts, watchRate, tls);
  }

  public PresenceConfig withPartitions(int count) {
    return new PresenceConfig(instanceId, grpcHost, grpcPort, metricsPort, tokenKey, store, count, grace,
        onlineDelay, warmup, leaseTtl, reconcileInterval, refreshInterval, tickInterval, subjects,
        maxContacts, watchRate, tls);
  }

  /** Other grace, online delay and warm-up. */
  public PresenceConfig withTimings(Duration newGrace, Duration newOnlineDelay, Duration newWarmup) {
    return new PresenceConfig(instanceId, grpcHost, grpcPort, metricsPort, tokenKey, store, partitions, newGrace,
        newOnlineDelay, newWarmup, leaseTtl, reconcileInterval, refreshInterval, tickInterval, subjects,
        maxContacts, watchRate, tls);
  }

  /** Other lease TTL, reconcile interval, own refresh interval and tick. */
  public PresenceConfig withCluster(Duration newLeaseTtl, Duration newReconcile, Duration newRefresh,
      Duration newTick) {
    return new PresenceConfig(instanceId, grpcHost, grpcPort, metricsPort, tokenKey, store, partitions, grace,
        onlineDelay, warmup, newLeaseTtl, newReconcile, newRefresh, newTick, subjects, maxContacts, watchRate, tls);
  }

  /** Another per-user WatchPresence rate. */
  public PresenceConfig withWatchRate(int perSecond) {
    return new PresenceConfig(instanceId, grpcHost, grpcPort, metricsPort, tokenKey, store, partitions, grace,
        onlineDelay, warmup, leaseTtl, reconcileInterval, refreshInterval, tickInterval, subjects, maxContacts,
        perSecond, tls);
  }

  /** The same settings in another namespace (tests give each cluster its own). */
  public PresenceConfig withSubjects(Subjects other) {
    return new PresenceConfig(instanceId, grpcHost, grpcPort, metricsPort, tokenKey, store, partitions, grace,
        onlineDelay, warmup, leaseTtl, reconcileInterval, refreshInterval, tickInterval, other, maxContacts, watchRate, tls);
  }
}
