package dev.messenger.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Statistics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NatsMetricsTest {
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicReference<Connection.Status> status = new AtomicReference<>(Connection.Status.CONNECTED);

  @Test
  void should_report_what_the_connection_counted_at_each_scrape() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    NatsMetrics.register(registry, connection());

    assertThat(Scrape.of(registry)).contains("messenger_nats_reconnects_total 0", "messenger_nats_dropped_messages_total 0",
        "messenger_nats_connected 1");

    reconnects.set(3);
    dropped.set(120);
    status.set(Connection.Status.RECONNECTING);

    assertThat(Scrape.of(registry)).contains("messenger_nats_reconnects_total 3",
        "messenger_nats_dropped_messages_total 120", "messenger_nats_connected 0");
  }

  /** A connection that answers only what the metrics read: its statistics and status. */
  private Connection connection() {
    Statistics statistics = (Statistics) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Statistics.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getReconnects" -> reconnects.get();
          case "getDroppedCount" -> dropped.get();
          default -> throw new UnsupportedOperationException(method.getName());
        });
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getStatistics" -> statistics;
          case "getStatus" -> status.get();
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
