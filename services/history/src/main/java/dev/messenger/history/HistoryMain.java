package dev.messenger.history;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.auth.TokenKeySource;
import dev.messenger.common.auth.TokenKeys;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import dev.messenger.common.health.DependencyHealth;
import dev.messenger.common.health.Probes;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.common.metrics.MetricsEndpoint;
import dev.messenger.common.server.GrpcServers;
import dev.messenger.common.server.ServerTls;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.common.server.ShutdownSignal;
import dev.messenger.history.api.HistoryService;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.history.store.HistorySchema;
import dev.messenger.history.store.HistoryStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the History service: {@code --grpc-host} (127.0.0.1), {@code --grpc-port} (7300),
 * {@code --metrics-port} (9300), {@code --token-key} (MESSENGER_TOKEN_KEY), {@code --shutdown-grace} (10s),
 * {@code --read-rate} (reads a second per user, 50), TLS as {@link ServerTls} reads it,
 * the CQL settings of {@link InfraSettings} and {@link HistoryConfig}. Creates the schema when missing.
 */
public final class HistoryMain {
  private static final Logger log = LoggerFactory.getLogger(HistoryMain.class);

  private HistoryMain() {}

  public static void main(String[] args) throws InterruptedException {
    Settings settings = Settings.forService(ServiceName.HISTORY, args, System.getenv());
    String host = settings.string("grpc-host", "127.0.0.1");
    int port = settings.integer("grpc-port", 7300);
    int metricsPort = settings.integer("metrics-port", 9300);
    Optional<ServerTls> tls = ServerTls.from(settings);
    Duration grace = settings.duration("shutdown-grace", Duration.ofSeconds(10));
    int readRate = settings.integer("read-rate", HistoryService.DEFAULT_READ_RATE);
    TokenKeys tokenKeys = TokenKeySource.keys(settings);
    if (tokenKeys.isDevelopmentKey()) {
      log.warn("development mode: using the public development token key; never do this in production");
    }
    HistoryConfig config = HistoryConfig.from(settings);
    InfraSettings infra = InfraSettings.from(settings);

    CqlSession session = infra.connectCql();
    HistorySchema.create(session, config);
    PrometheusRegistry registry = new PrometheusRegistry();
    HistoryStore store = HistoryStore.open(session, config, registry, Clock.systemUTC());
    ServiceServer server =
        HistoryServer.start(GrpcServers.netty(host, port, tls), store, new Tokens(tokenKeys, Clock.systemUTC()), registry,
            readRate);
    DependencyHealth health = DependencyHealth.start(Probes.of(null, null, session), server::reportDependencies,
        registry);
    MetricsEndpoint metrics = MetricsEndpoint.start(MetricsEndpoint.host(settings), metricsPort, registry);
    log.info("history listening on {}:{} (metrics :{})", host, server.port(), metrics.port());

    ShutdownSignal.install(() -> {
      log.info("history shutting down");
      health.close();
      server.shutdown(grace);
      metrics.close();
      session.close();
    }).await();
  }
}
