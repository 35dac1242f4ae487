package dev.messenger.push;

import dev.messenger.common.config.Settings;
import dev.messenger.common.metrics.MetricsEndpoint;
import dev.messenger.common.server.GrpcServers;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.common.server.ShutdownSignal;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the push service: health, reflection and metrics; its API arrives with its own issue. */
public final class PushMain {
  private static final Logger log = LoggerFactory.getLogger(PushMain.class);

  private PushMain() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.of(args, System.getenv());
    String host = settings.string("grpc-host", "127.0.0.1");
    PrometheusRegistry registry = new PrometheusRegistry();
    ServiceServer server = ServiceServer.start(
        GrpcServers.netty(host, settings.integer("grpc-port", 7500)), List.of(), List.of(), registry);
    MetricsEndpoint metrics = MetricsEndpoint.start(host, settings.integer("metrics-port", 9500), registry);
    log.info("push listening on {}:{} (metrics :{})", host, server.port(), metrics.port());
    ShutdownSignal.install(() -> {
      server.shutdown(Duration.ofSeconds(5));
      metrics.close();
    }).await();
  }
}
