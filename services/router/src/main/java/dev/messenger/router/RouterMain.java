package dev.messenger.router;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import dev.messenger.common.health.DependencyHealth;
import dev.messenger.common.health.NatsEchoProbe;
import dev.messenger.common.health.Probes;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.common.metrics.MetricsEndpoint;
import dev.messenger.common.metrics.NatsMetrics;
import dev.messenger.common.server.GrpcServers;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.common.server.ShutdownSignal;
import dev.messenger.common.server.StartupCheck;
import dev.messenger.history.store.HistoryConfig;
import io.etcd.jetcd.Client;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one router. Its gRPC port serves health and reflection only: work arrives over NATS. */
public final class RouterMain {
  private static final Logger log = LoggerFactory.getLogger(RouterMain.class);

  private RouterMain() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.forService(ServiceName.ROUTER, args, System.getenv());
    RouterConfig config = RouterConfig.from(settings);
    InfraSettings infra = InfraSettings.from(settings);
    PrometheusRegistry registry = new PrometheusRegistry();
    Client etcd = infra.connectEtcd();
    Connection nats = infra.connectNats(config.routerId());
    NatsMetrics.register(registry, nats);
    CqlSession cql = infra.connectCql();
    HistoryConfig history = HistoryConfig.from(settings);
    Router router = StartupCheck.orExit(() -> Router.start(config, etcd, nats, cql, history, registry));
    ServiceServer server = ServiceServer.start(
        GrpcServers.netty(config.grpcHost(), config.grpcPort(), config.tls()), List.of(), List.of(), registry);
    DependencyHealth health = DependencyHealth.start(Probes.of(NatsEchoProbe.start(nats, config.subjects()), etcd, cql), server::reportDependencies, registry);
    MetricsEndpoint metrics = MetricsEndpoint.start(MetricsEndpoint.host(settings), config.metricsPort(),
        registry);
    log.info("router {} listening on {}:{} (metrics :{})", config.routerId(), config.grpcHost(), server.port(),
        metrics.port());
    ShutdownSignal.install(() -> {
      health.close();
      server.markNotServing();
      router.close();
      server.shutdown(Duration.ofSeconds(5));
      try {
        nats.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      cql.close();
      etcd.close();
      metrics.close();
      log.info("router {} stopped", config.routerId());
    }).await();
  }
}
