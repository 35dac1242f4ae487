package dev.messenger.presence;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.auth.TokenKeySource;
import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.common.metrics.MetricsEndpoint;
import dev.messenger.common.metrics.NatsMetrics;
import dev.messenger.common.server.ShutdownSignal;
import io.etcd.jetcd.Client;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one presence instance. Flags: see {@link PresenceConfig#from} and {@link InfraSettings#from}. */
public final class PresenceMain {
  private static final Logger log = LoggerFactory.getLogger(PresenceMain.class);

  private PresenceMain() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.forService(ServiceName.PRESENCE, args, System.getenv());
    PresenceConfig config = PresenceConfig.from(settings, TokenKeySource.keys(settings));
    if (config.tokenKey().isDevelopmentKey()) {
      log.warn("using the development token key; set MESSENGER_TOKEN_KEY in production");
    }
    InfraSettings infra = InfraSettings.from(settings);
    PrometheusRegistry registry = new PrometheusRegistry();
    Client etcd = infra.connectEtcd();
    Connection nats = infra.connectNats(config.instanceId());
    NatsMetrics.register(registry, nats);
    CqlSession cql = infra.connectCql();
    PresenceNode node = PresenceNode.start(config, etcd, nats, cql, registry);
    MetricsEndpoint metrics = MetricsEndpoint.start(MetricsEndpoint.host(settings), config.metricsPort(),
        registry);
    log.info("presence {} listening on {}:{} (metrics :{}, grace {})", config.instanceId(), config.grpcHost(),
        node.port(), metrics.port(), config.grace());
    ShutdownSignal.install(() -> {
      node.close();
      try {
        nats.drain(Duration.ofSeconds(5));
      } catch (Exception e) {
        log.debug("nats drain", e);
      }
      cql.close();
      etcd.close();
      metrics.close();
    }).await();
  }
}
