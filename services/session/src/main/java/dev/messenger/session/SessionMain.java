package dev.messenger.session;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.auth.TokenKeySource;
import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.common.metrics.MetricsEndpoint;
import dev.messenger.common.metrics.NatsMetrics;
import dev.messenger.common.server.ShutdownSignal;
import dev.messenger.common.server.StartupCheck;
import dev.messenger.history.store.HistoryConfig;
import io.etcd.jetcd.Client;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one session server. */
public final class SessionMain {
  private static final Logger log = LoggerFactory.getLogger(SessionMain.class);

  private SessionMain() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.forService(ServiceName.SESSION, args, System.getenv());
    SessionConfig config = SessionConfig.from(settings, TokenKeySource.keys(settings));
    if (config.tokenKey().isDevelopmentKey()) {
      log.warn("using the development token key; set MESSENGER_TOKEN_KEY in production");
    }
    InfraSettings infra = InfraSettings.from(settings);
    PrometheusRegistry registry = new PrometheusRegistry();
    Client etcd = infra.connectEtcd();
    Connection nats = infra.connectNats(config.serverId());
    NatsMetrics.register(registry, nats);
    CqlSession cql = infra.connectCql();
    HistoryConfig history = HistoryConfig.from(settings);
    SessionNode node = StartupCheck.orExit(() -> SessionNode.start(config, etcd, nats, cql, history, registry));
    MetricsEndpoint metrics = MetricsEndpoint.start(MetricsEndpoint.host(settings), config.metricsPort(),
        registry);
    log.info("session {} listening on {} (metrics :{})", config.serverId(), node.address(), metrics.port());
    ShutdownSignal.install(() -> {
      node.close();
      try {
        nats.drain(java.time.Duration.ofSeconds(5));
      } catch (Exception e) {
        log.debug("nats drain", e);
      }
      cql.close();
      etcd.close();
      metrics.close();
    }).await();
  }
}
