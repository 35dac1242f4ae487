package dev.messenger.presence;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.auth.AuthInterceptor;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.health.DependencyHealth;
import dev.messenger.common.health.NatsEchoProbe;
import dev.messenger.common.health.Probes;
import dev.messenger.common.limits.KeyedRateLimiter;
import dev.messenger.common.limits.RateLimitMetrics;
import dev.messenger.common.server.GrpcServers;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.presence.client.PresenceReporter;
import dev.messenger.presence.client.PresenceReporterConfig;
import dev.messenger.presence.cluster.PartitionOwnership;
import dev.messenger.presence.cluster.SessionServerWatch;
import dev.messenger.presence.store.CqlContactDirectory;
import dev.messenger.presence.store.CqlPresenceAudience;
import dev.messenger.presence.store.PresenceSchema;
import dev.messenger.presence.store.PresenceStore;
import io.etcd.jetcd.Client;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running presence instance: API, partition ownership, engine. Main and tests both build it here. */
public final class PresenceNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PresenceNode.class);
  private static final Duration TOMBSTONE = Duration.ofMinutes(10);

  private final PresenceConfig config;
  private final ServiceServer server;
  private final PresenceService service;
  private final PresenceEngine engine;
  private final PartitionFeed feed;
  private final PartitionOwnership ownership;
  private final SessionServerWatch sessions;
  private final PresenceReporter watchReporter;
  private final ScheduledExecutorService ticker;
  private final ScheduledExecutorService ownershipLoop;
  private final ExecutorService fanout;
  private final DependencyHealth health;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private PresenceNode(PresenceConfig config, ServiceServer server, PresenceService service, PresenceEngine engine,
      PartitionFeed feed, PartitionOwnership ownership, SessionServerWatch sessions, PresenceReporter watchReporter,
      ScheduledExecutorService ticker, ScheduledExecutorService ownershipLoop, ExecutorService fanout,
      DependencyHealth health) {
    this.config = config;
    this.server = server;
    this.service = service;
    this.engine = engine;
    this.feed = feed;
    this.ownership = ownership;
    this.sessions = sessions;
    this.watchReporter = watchReporter;
    this.ticker = ticker;
    this.ownershipLoop = ownershipLoop;
    this.fanout = fanout;
    this.health = health;
  }

  /**
   * Creates the schema if missing, starts serving on the configured host and port and starts taking its
   * share of the partitions. The caller owns the connections and closes them after {@link #close()}.
   */
  public static PresenceNode start(PresenceConfig config, Client etcd, Connection nats, CqlSession cql,
      PrometheusRegistry registry) {
    return start(config, etcd, nats, cql, registry, Clock.systemUTC());
  }

  static PresenceNode start(PresenceConfig config, Client etcd, Connection nats, CqlSession cql,
      PrometheusRegistry registry, Clock clock) {
    String id = config.instanceId();
    PresenceSchema.create(cql, config.store());
    PresenceStore store = PresenceStore.open(cql, config.store());
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(named("presence-tick-" + id));
    ScheduledExecutorService ownershipLoop =
        Executors.newSingleThreadScheduledExecutor(named("presence-ownership-" + id));
    ExecutorService fanout = Executors.newFixedThreadPool(2, named("presence-fanout-" + id));
    PresenceMetrics metrics = new PresenceMetrics(registry);
    ChangePublisher publisher = new ChangePublisher(store,
        new CqlContactDirectory(cql, config.store(), config.maxContacts()), nats, config.subjects(), fanout, metrics,
        clock);
    PresenceEngine engine = new PresenceEngine(config.timings(), config.partitions(), publisher, clock, TOMBSTONE);
    metrics.registerGauges(engine::onlineUsers, () -> engine.partitions().size());
    PartitionFeed feed = new PartitionFeed(nats, config.subjects(), engine);
    PartitionOwnership ownership = new PartitionOwnership(etcd, config.subjects().etcdPrefix("presence"), id,
        config.partitions(), config.leaseTtl(), new PartitionLifecycle(id, store, engine, feed), ownershipLoop);
    SessionServerWatch sessions =
        new SessionServerWatch(etcd, config.subjects().etcdPrefix("sessions"), engine, ticker);
    sessions.start();
    long tick = config.tickInterval().toMillis();
    ticker.scheduleAtFixedRate(() -> {
      try {
        engine.tick();
      } catch (RuntimeException e) {
        log.error("presence tick failed", e);
      }
    }, tick, tick, TimeUnit.MILLISECONDS);
    PresenceReporter watchReporter = PresenceReporter.start(nats,
        PresenceReporterConfig.defaults(config.subjects(), id)
            .withPartitions(config.partitions())
            .withRefreshInterval(config.refreshInterval())
            .withSilenceLimit(Duration.ZERO)
            .withWatchMode(PresenceReporterConfig.WatchMode.STANDALONE));
    KeyedRateLimiter watchCalls = KeyedRateLimiter.withDoubleBurst("WATCH_RATE_LIMITED", "presence watch calls",
        config.watchRate(), System::nanoTime);
    RateLimitMetrics.register(registry, List.of(watchCalls));
    PresenceService service = new PresenceService(store, new CqlPresenceAudience(cql, config.store()), watchReporter,
        nats, config.subjects(), config.partitions(), fanout, watchCalls);
    ServiceServer server = ServiceServer.start(
        GrpcServers.netty(config.grpcHost(), config.grpcPort(), config.tls()),
        List.of(service),
        List.of(new AuthInterceptor(new Tokens(config.tokenKey(), clock), Set.of())),
        registry);
    ownership.start(config.reconcileInterval());
    DependencyHealth health = DependencyHealth.start(Probes.of(NatsEchoProbe.start(nats, config.subjects()), etcd, cql), server::reportDependencies, registry);
    return new PresenceNode(config, server, service, engine, feed, ownership, sessions, watchReporter, ticker,
        ownershipLoop, fanout, health);
  }

  public int port() {
    return server.port();
  }

  public String instanceId() {
    return config.instanceId();
  }

  /** The partitions this instance serves now. */
  public Set<Integer> ownedPartitions() {
    return ownership.owned();
  }

  /** Whether this instance serves the user's partition and shows the user online (tests, diagnostics). */
  public boolean showsOnline(String userId) {
    return engine.isPublishedOnline(userId);
  }

  /**
   * Graceful stop: hand every partition back (the other instances take them over and rebuild from session
   * servers' refreshes, nobody flaps), then NOT_SERVING and stop the API, let queued fan-out finish.
   */
  @Override
  public void close() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    ownership.close();
    stopRest();
    log.info("presence {} stopped", config.instanceId());
  }

  /**
   * Stops at once without giving anything back in etcd, as if the process had died: its partitions move
   * only when its lease expires. For failover tests.
   */
  public void abandon() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    ownership.abandon();
    stopRest();
    log.info("presence {} abandoned its partitions", config.instanceId());
  }

  private void stopRest() {
    health.close();
    sessions.close();
    watchReporter.close();
    server.shutdown(Duration.ofSeconds(2));
    service.close();
    feed.close();
    ticker.shutdownNow();
    ownershipLoop.shutdownNow();
    fanout.shutdown();
    try {
      if (!fanout.awaitTermination(5, TimeUnit.SECONDS)) {
        fanout.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fanout.shutdownNow();
    }
  }

  private static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
