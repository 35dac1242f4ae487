package dev.messenger.session;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.auth.AuthInterceptor;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.etcd.ShardCountAgreement;
import dev.messenger.common.health.DependencyHealth;
import dev.messenger.common.health.NatsEchoProbe;
import dev.messenger.common.health.Probes;
import dev.messenger.common.limits.RateLimitMetrics;
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
import dev.messenger.common.metrics.NatsMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private final DependencyHealth health;
  private final StreamFactory factory;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SessionNode(SessionConfig config, ServiceServer server, SessionDirectory directory, LocalStreams streams,
      ExecutorService executor, ScheduledExecutorService scheduler, PresenceReporter presence,
      SessionHeartbeats heartbeats, DependencyHealth health, StreamFactory factory) {
    this.config = config;
    this.server = server;
    this.directory = directory;
    this.streams = streams;
    this.executor = executor;
    this.scheduler = scheduler;
    this.presence = presence;
    this.heartbeats = heartbeats;
    this.health = health;
    this.factory = factory;
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
    SendRateLimiter rateLimiter = new SendRateLimiter(config.sendRatePerSecond(), System::nanoTime);
    SessionLimits userLimits = new SessionLimits(config.rates(), System::nanoTime);
    RateLimitMetrics.register(registry, userLimits.limiters());
    LocalStreams streams = new LocalStreams(nats, config.subjects(),
        new UserEventGate(config.subjects(), registry, System::nanoTime),
        stream -> presence.heartbeat(stream.userId(), stream.streamId()), rateLimiter::committed);
    SessionMetrics metrics = new SessionMetrics(registry, streams::count, streams::queuedBytes);
    NatsMetrics.registerBacklog(registry, "user_events", streams.busBacklog());
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
        rateLimiter, streams, clock, metrics, scheduler, userLimits);
    StreamLimits limits = StreamLimits.of(config.maxQueuedFrames());
    StreamFactory factory = new StreamFactory(streams, store, executor, limits, config, metrics, presence,
        userLimits);
    SessionDirectory[] directoryHolder = new SessionDirectory[1];
    SessionHeartbeats heartbeats = SessionHeartbeats.start(nats, config.subjects(), config.serverId());
    List<BindableService> services = List.of(
        new SessionService(factory, actions, store, streams, presence, new CqlPresenceAudience(cql,
            new PresenceStoreConfig(history.keyspace(), history.replication(), history.consistency())),
            clock, config.sendWindow()),
        new GroupsService(router, store, new ProjectionWait(store, scheduler, Duration.ofSeconds(2))),
        new DiscoveryService(() -> directoryHolder[0], heartbeats::isLive));
    ServiceServer server = ServiceServer.start(
        GrpcServers.netty(config.grpcHost(), config.grpcPort(), config.tls()),
        services,
        List.of(new AuthInterceptor(new Tokens(config.tokenKey(), clock), Set.of())),
        registry);
    SessionDirectory directory =
        new SessionDirectory(etcd, config.subjects().etcdPrefix("sessions"), config.serverId(), config.advertisedHost() + ":" + server.port());
    directoryHolder[0] = directory;
    directory.register(config.leaseTtl());
    scheduler.scheduleWithFixedDelay(logFailures(() -> directory.report(streams.count())), 1, 1, TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(logFailures(streams::resyncIfDropped), 1, 1, TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(logFailures(() -> rateLimiter.sweep()), 10, 10, TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(logFailures(userLimits::sweep), 10, 10, TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(logFailures(() -> streams.endWatches(System.nanoTime())), 1, 1,
        TimeUnit.SECONDS);
    if (config.moves().rebalanceRate() > 0) {
      StreamRebalancer rebalancer = new StreamRebalancer(config.serverId(), config.moves().rebalanceRate(),
          directory::list, heartbeats::isLive, streams, factory::draining, scheduler);
      scheduler.scheduleWithFixedDelay(logFailures(rebalancer::round), 5, 1, TimeUnit.SECONDS);
    }
    DependencyHealth health = DependencyHealth.start(Probes.of(NatsEchoProbe.start(nats, config.subjects()), etcd, cql), server::reportDependencies, registry);
    return new SessionNode(config, server, directory, streams, executor, scheduler, presence, heartbeats, health,
        factory);
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
   * Graceful stop: refuse new streams, NOT_SERVING, leave discovery, then close the open streams at the drain
   * rate (each told SERVER_DRAINING, so its device reconnects to another server and catches up there), and
   * stop the server when they are all closed or the drain grace is over.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long start = System.nanoTime();
    factory.startDraining();
    health.close();
    server.markNotServing();
    directory.close();
    StreamDrain.Outcome drained = StreamDrain.realTime(config.moves().drainRate(), config.moves().drainGrace())
        .drain(List.copyOf(streams.all()), stream ->
            stream.close(ApiErrors.unavailable("SERVER_DRAINING", "this server is shutting down; reconnect")));
    presence.close();
    Duration left = config.moves().drainGrace().minusNanos(System.nanoTime() - start);
    server.shutdown(left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left);
    heartbeats.close();
    scheduler.shutdownNow();
    executor.shutdown();
    streams.close();
    log.info("session server {} stopped: {} streams moved at {}/s, {} at the deadline", config.serverId(),
        drained.paced(), config.moves().drainRate(), drained.atDeadline());
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
