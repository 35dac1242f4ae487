package dev.messenger.push;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.auth.TokenKeySource;
import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.common.metrics.MetricsEndpoint;
import dev.messenger.common.metrics.NatsMetrics;
import dev.messenger.common.server.ShutdownSignal;
import dev.messenger.push.provider.ProviderFactory;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one push instance. Flags: see {@link PushConfig#from} and {@link InfraSettings#from}. */
public final class PushMain {
  private static final Logger log = LoggerFactory.getLogger(PushMain.class);

  private PushMain() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.forService(ServiceName.PUSH, args, System.getenv());
    PushConfig config = PushConfig.from(settings, TokenKeySource.keys(settings));
    if (config.tokenKey().isDevelopmentKey()) {
      log.warn("using the development token key; set MESSENGER_TOKEN_KEY in production");
    }
    InfraSettings infra = InfraSettings.from(settings);
    PrometheusRegistry registry = new PrometheusRegistry();
    Connection nats = infra.connectNats(config.instanceId());
    NatsMetrics.register(registry, nats);
    CqlSession cql = infra.connectCql();
    PushNode node = PushNode.start(config, nats, cql, ProviderFactory.build(config.providers()), registry,
        Clock.systemUTC());
    MetricsEndpoint metrics = MetricsEndpoint.start(MetricsEndpoint.host(settings), config.metricsPort(),
        registry);
    log.info("push {} listening on {}:{} (metrics :{}, delay {})", config.instanceId(), config.grpcHost(),
        node.port(), metrics.port(), config.delay());
    ShutdownSignal.install(() -> {
      node.close();
      try {
        nats.drain(Duration.ofSeconds(5));
      } catch (Exception e) {
        log.debug("nats drain", e);
      }
      cql.close();
      metrics.close();
    }).await();
  }
}
