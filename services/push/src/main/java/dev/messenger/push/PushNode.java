package dev.messenger.push;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.auth.AuthInterceptor;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.health.DependencyHealth;
import dev.messenger.common.health.NatsEchoProbe;
import dev.messenger.common.health.Probes;
import dev.messenger.common.server.GrpcServers;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.push.client.PushStreams;
import dev.messenger.push.queue.Providers;
import dev.messenger.push.queue.PushQueues;
import dev.messenger.push.store.DeadLetters;
import dev.messenger.push.store.DeliveryState;
import dev.messenger.push.store.DeviceRegistry;
import dev.messenger.push.store.PushSchema;
import dev.messenger.push.store.PushSettings;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running push instance: the PushDevices API and its share of the push queues. Main and tests build it here. */
public final class PushNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PushNode.class);
  private static final Duration HISTORY_SCHEMA_WAIT = Duration.ofSeconds(60);

  private final PushConfig config;
  private final ServiceServer server;
  private final PushQueues queues;
  private final Providers providers;
  private final DependencyHealth health;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private PushNode(PushConfig config, ServiceServer server, PushQueues queues, Providers providers,
      DependencyHealth health) {
    this.config = config;
    this.server = server;
    this.queues = queues;
    this.providers = providers;
    this.health = health;
  }

  /**
   * Creates push's tables if missing, waits for history's (push reads device_cursors and user_conversations),
   * starts serving and consuming. The caller owns the connections; the node owns {@code providers}.
   */
  public static PushNode start(PushConfig config, Connection nats, CqlSession cql, Providers providers,
      PrometheusRegistry registry, Clock clock) throws IOException, InterruptedException {
    PushSchema.create(cql, config.store());
    DeliveryState state = openWhenHistoryReady(cql, config);
    DeviceRegistry devices = new DeviceRegistry(cql, config.store());
    PushSettings settings = new PushSettings(cql, config.store());
    DeadLetters deadLetters = new DeadLetters(cql, config.store());
    PushMetrics metrics = new PushMetrics(registry);
    PushQueues queues = PushQueues.start(nats, new PushStreams(config.subjects()),
        new PushQueues.Settings(config.delay(), config.maxDeferral(), config.retry(), config.workers(),
            config.ackWait()),
        devices, state, settings, deadLetters, providers, metrics, clock, config.instanceId());
    ServiceServer server = ServiceServer.start(
        GrpcServers.netty(config.grpcHost(), config.grpcPort(), config.tls()),
        List.of(new PushDevicesService(devices, settings, clock)),
        List.of(new AuthInterceptor(new Tokens(config.tokenKey(), clock), Set.of())),
        registry);
    DependencyHealth health = DependencyHealth.start(Probes.of(NatsEchoProbe.start(nats, config.subjects()), null, cql), server::reportDependencies, registry);
    return new PushNode(config, server, queues, providers, health);
  }

  private static DeliveryState openWhenHistoryReady(CqlSession cql, PushConfig config) throws InterruptedException {
    long deadline = System.nanoTime() + HISTORY_SCHEMA_WAIT.toNanos();
    while (true) {
      try {
        return new DeliveryState(cql, config.store());
      } catch (com.datastax.oss.driver.api.core.servererrors.InvalidQueryException missing) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("history's tables are missing in keyspace " + config.store().keyspace()
              + "; start the history service first", missing);
        }
        Thread.sleep(500);
      }
    }
  }

  public int port() {
    return server.port();
  }

  public String instanceId() {
    return config.instanceId();
  }

  /** NOT_SERVING, stop the API, finish the jobs in hand (the rest stays queued), close the providers. */
  @Override
  public void close() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    health.close();
    server.markNotServing();
    queues.close();
    server.shutdown(Duration.ofSeconds(2));
    providers.close();
    log.info("push {} stopped", config.instanceId());
  }
}
