package dev.messenger.session;

import dev.messenger.common.auth.TokenKeys;
import dev.messenger.common.config.SharedDefaults;
import dev.messenger.common.Subjects;
import dev.messenger.common.config.Settings;
import dev.messenger.common.server.ServerTls;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** Session server settings; see {@link #from(Settings)} for the flag names. */
public record SessionConfig(
    String serverId,
    String grpcHost,
    int grpcPort,
    String advertisedHost,
    int metricsPort,
    TokenKeys tokenKey,
    int shards,
    Duration leaseTtl,
    Duration heartbeatInterval,
    int sendRatePerSecond,
    int sendWindow,
    int maxQueuedFrames,
    Duration submitTimeout,
    StreamMoves moves,
    UserRates rates,
    Subjects subjects,
    Optional<ServerTls> tls) {

  public SessionConfig {
    tls = tls == null ? Optional.empty() : tls;
    if (serverId == null || serverId.isBlank()) {
      serverId = "session-" + UUID.randomUUID().toString().substring(0, 8);
    }
    if (advertisedHost == null || advertisedHost.isBlank()) {
      advertisedHost = "0.0.0.0".equals(grpcHost) ? "127.0.0.1" : grpcHost;
    }
    if (sendRatePerSecond < 1 || sendWindow < 1 || maxQueuedFrames < 16 || shards < 1 || moves == null
        || rates == null) {
      throw new IllegalArgumentException("invalid session settings");
    }
  }

  public static SessionConfig defaults(String serverId, String tokenKey) {
    return new SessionConfig(serverId, "127.0.0.1", 0, "", 0, TokenKeys.of(tokenKey), SharedDefaults.ROUTER_SHARDS,
        Duration.ofSeconds(5),
        Duration.ofSeconds(15), 200, 64, 1024, Duration.ofSeconds(15), StreamMoves.defaults(), UserRates.defaults(),
        Subjects.defaults(), Optional.empty());
  }

  public SessionConfig withSendRate(int perSecond) {
    return new SessionConfig(serverId, grpcHost, grpcPort, advertisedHost, metricsPort, tokenKey, shards, leaseTtl,
        heartbeatInterval, perSecond, sendWindow, maxQueuedFrames, submitTimeout, moves, rates, subjects, tls);
  }

  public SessionConfig withMaxQueuedFrames(int frames) {
    return new SessionConfig(serverId, grpcHost, grpcPort, advertisedHost, metricsPort, tokenKey, shards, leaseTtl,
        heartbeatInterval, sendRatePerSecond, sendWindow, frames, submitTimeout, moves, rates, subjects, tls);
  }

  /** Another shard count (it must match the routers'; see {@code ShardCountAgreement}). */
  public SessionConfig withShards(int count) {
    return new SessionConfig(serverId, grpcHost, grpcPort, advertisedHost, metricsPort, tokenKey, count, leaseTtl,
        heartbeatInterval, sendRatePerSecond, sendWindow, maxQueuedFrames, submitTimeout, moves, rates, subjects, tls);
  }

  public SessionConfig withGrpcPort(int port) {
    return new SessionConfig(serverId, grpcHost, port, advertisedHost, metricsPort, tokenKey, shards, leaseTtl,
        heartbeatInterval, sendRatePerSecond, sendWindow, maxQueuedFrames, submitTimeout, moves, rates, subjects, tls);
  }

  /** Streams a stopping server closes per second (see {@link StreamDrain}) within its drain grace. */
  public SessionConfig withDrain(Duration grace, int streamsPerSecond) {
    return withMoves(new StreamMoves(grace, streamsPerSecond, moves.rebalanceRate()));
  }

  /** Streams per second this server hands to emptier ones (see {@link StreamRebalancer}); 0 turns it off. */
  public SessionConfig withRebalanceRate(int streamsPerSecond) {
    return withMoves(new StreamMoves(moves.drainGrace(), moves.drainRate(), streamsPerSecond));
  }

  private SessionConfig withMoves(StreamMoves other) {
    return new SessionConfig(serverId, grpcHost, grpcPort, advertisedHost, metricsPort, tokenKey, shards, leaseTtl,
        heartbeatInterval, sendRatePerSecond, sendWindow, maxQueuedFrames, submitTimeout, other, rates, subjects, tls);
  }

  /** Other per-user connect, receipt and watch rates (see {@link UserRates}). */
  public SessionConfig withRates(UserRates other) {
    return new SessionConfig(serverId, grpcHost, grpcPort, advertisedHost, metricsPort, tokenKey, shards, leaseTtl,
        heartbeatInterval, sendRatePerSecond, sendWindow, maxQueuedFrames, submitTimeout, moves, other, subjects, tls);
  }

  public SessionConfig withSubjects(Subjects other) {
    return new SessionConfig(serverId, grpcHost, grpcPort, advertisedHost, metricsPort, tokenKey, shards, leaseTtl,
        heartbeatInterval, sendRatePerSecond, sendWindow, maxQueuedFrames, submitTimeout, moves, rates, other, tls);
  }

  public static SessionConfig from(Settings s, TokenKeys tokenKeys) {
    return new SessionConfig(
        s.string("server-id", ""),
        s.string("grpc-host", "127.0.0.1"),
        s.integer("grpc-port", 7100),
        s.string("advertised-host", ""),
        s.integer("metrics-port", 9100),
        tokenKeys,
        s.integer("shards", SharedDefaults.ROUTER_SHARDS),
        s.duration("lease-ttl", Duration.ofSeconds(5)),
        s.duration("heartbeat-interval", Duration.ofSeconds(15)),
        s.integer("send-rate", 200),
        s.integer("send-window", 64),
        s.integer("max-queued-frames", 1024),
        s.duration("submit-timeout", Duration.ofSeconds(15)),
        new StreamMoves(
            s.duration("drain-grace", StreamMoves.DEFAULT_DRAIN_GRACE),
            s.integer("drain-rate", StreamMoves.DEFAULT_DRAIN_RATE),
            s.integer("rebalance-rate", StreamMoves.DEFAULT_REBALANCE_RATE)),
        new UserRates(
            s.integer("connect-rate", UserRates.DEFAULT_CONNECT_RATE),
            s.integer("receipt-rate", UserRates.DEFAULT_RECEIPT_RATE),
            s.integer("watch-rate", UserRates.DEFAULT_WATCH_RATE)),
        new Subjects(s.string("namespace", Subjects.DEFAULT_NAMESPACE)), ServerTls.from(s));
  }
}
