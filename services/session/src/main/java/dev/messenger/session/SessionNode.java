package dev.messenger.session;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.auth.AuthInterceptor;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.etcd.ShardCountAgreement;
import dev.messenger.common.server.GrpcServers;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.history.store.HistoryStore;
import dev.messenger.presence.client.PresenceReporter;
import dev.messenger.presence.client.PresenceReporterConfig;
import dev.messenger.presence.store.CqlPresenceAudience;
import dev.messenger.presence.store.PresenceStoreConfig;
import io.etcd.jetcd.Client;
import io.grpc.BindableService;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running session server: gRPC listener, streams, etcd registration. Main and tests both build it here. */
public final class SessionNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionNode.class);

  private final SessionConfig config;
  private final ServiceServer server;
  private final SessionDirectory directory;
  private final LocalStreams streams;
  private final ExecutorService executor;
  private final ScheduledExecutorService scheduler;
  private final PresenceReporter presence;
  private final SessionHeartbeats heartbeats;

  private SessionNode(SessionConfig config, ServiceServer server, SessionDirectory directory, LocalStreams streams,
      ExecutorService executor, ScheduledExecutorService scheduler, PresenceReporter presence,
      SessionHeartbeats heartbeats) {
    this.config = config;
    this.server = server;
    this.directory = directory;
    this.streams = streams;
    this.executor = executor;
    this.scheduler = scheduler;
    this.presence = presence;
    this.heartbeats = heartbeats;
  }

  /** Starts serving on config's host and port, and registers in etcd. The caller owns the connections. */
  public static SessionNode start(SessionConfig config, Client etcd, Connection nats, CqlSession cql,
      HistoryConfig history, PrometheusRegistry registry) {
    ShardCountAgreement.agree(etcd, config.subjects(), config.shards(), "session server " + config.serverId());
    ExecutorService executor = Executors.newFixedThreadPool(4, daemon("session-worker"));
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("session-timer"));
    Clock clock = Clock.systemUTC();
    PresenceReporter presence = PresenceReporter.start(nats,
        PresenceReporterConfig.defaults(config.subjects(), config.serverId())
            .withSilenceLimit(config.heartbeatInterval().multipliedBy(2)));
    LocalStreams streams = new LocalStreams(nats, config.subjects(),
        stream -> presence.heartbeat(stream.userId(), stream.streamId()));
    SessionMetrics metrics = new SessionMetrics(registry, streams::count, streams::queuedBytes);
    SessionStore store;
    try {
      store = new CqlSessionStore(HistoryStore.openWhenReady(cql, history, registry, clock, Duration.ofSeconds(60)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the history schema", e);
    }
    RouterClient router = new RouterClient(nats, config.subjects(), config.shards(), config.submitTimeout().dividedBy(3),
        config.submitTimeout(), scheduler, metrics::routerRetried);
    SessionActions actions = new SessionActions(router, store, nats, config.subjects(),
        new SendRateLimiter(config.sendRatePerSecond(), System::nanoTime), clock, metrics, scheduler);
    StreamLimits limits = StreamLimits.of(config.maxQueuedFrames());
    StreamFactory factory = new StreamFactory(streams, store, executor, limits, config, metrics, presence);
    SessionDirectory[] directoryHolder = new SessionDirectory[1];
    SessionHeartbeats heartbeats = SessionHeartbeats.start(nats, config.subjects(), config.serverId());
    List<BindableService> services = List.of(
        new SessionService(factory, actions, store, streams, presence, new CqlPresenceAudience(cql,
            new PresenceStoreConfig(history.keyspace(), history.replication(), history.consistency())),
            clock, config.sendWindow()),
        new GroupsService(router, store, new ProjectionWait(store, scheduler, Duration.ofSeconds(2))),
        new DiscoveryService(() -> directoryHolder[0], heartbeats::isLive));
    ServiceServer server = ServiceServer.start(
        GrpcServers.netty(config.grpcHost(), config.grpcPort()),
        services,
        List.of(new AuthInterceptor(new Tokens(config.tokenKey(), clock), Set.of())),
        registry);
    SessionDirectory directory =
        new SessionDirectory(etcd, config.subjects().etcdPrefix("sessions"), config.serverId(), config.advertisedHost() + ":" + server.port());
    directoryHolder[0] = directory;
    directory.register(config.leaseTtl());
    scheduler.scheduleWithFixedDelay(logFailures(() -> directory.report(streams.count())), 1, 1, TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(logFailures(streams::resyncIfDropped), 1, 1, TimeUnit.SECONDS);
    return new SessionNode(config, server, directory, streams, executor, scheduler, presence, heartbeats);
  }

  public int port() {
    return server.port();
  }

  public String address() {
    return config.advertisedHost() + ":" + server.port();
  }

  public int openStreams() {
    return streams.count();
  }

  /**
   * Graceful stop: NOT_SERVING, leave discovery, stop accepting calls, tell open streams to reconnect
   * elsewhere, then wait for the rest up to the drain grace.
   */
  @Override
  public void close() {
    server.markNotServing();
    directory.close();
    for (DeviceStream stream : streams.all()) {
      stream.close(ApiErrors.unavailable("SERVER_DRAINING", "this server is shutting down; reconnect"));
    }
    presence.close();
    server.shutdown(config.drainGrace());
    heartbeats.close();
    scheduler.shutdownNow();
    executor.shutdown();
    streams.close();
    log.info("session server {} stopped", config.serverId());
  }

  /** A periodic task that survives a failed round (an exception would cancel the schedule). */
  private static Runnable logFailures(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("periodic task failed: {}", e.toString());
      }
    };
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
