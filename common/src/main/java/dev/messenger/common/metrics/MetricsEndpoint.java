package dev.messenger.common.metrics;

import dev.messenger.common.config.Settings;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Serves a registry in the Prometheus text format at http://host:port/metrics, with JVM metrics added. */
public final class MetricsEndpoint implements AutoCloseable {
  /** Loopback unless configured: the gRPC host is often 0.0.0.0, and metrics are for the operator only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  private final HTTPServer server;

  private MetricsEndpoint(HTTPServer server) {
    this.server = server;
  }

  /** The address to bind: {@code --metrics-host} / {@code MESSENGER_METRICS_HOST}, else {@link #DEFAULT_HOST}. */
  public static String host(Settings settings) {
    return settings.string("metrics-host", DEFAULT_HOST);
  }

  /** Starts serving; port 0 picks a free port. */
  public static MetricsEndpoint start(String host, int port, PrometheusRegistry registry) {
    JvmMetrics.builder().register(registry);
    try {
      return new MetricsEndpoint(
          HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port, e);
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
