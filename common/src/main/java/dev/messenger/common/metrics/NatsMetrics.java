package dev.messenger.common.metrics;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Objects;

/**
 * A service's NATS connection as an operator sees it, read from jnats' own statistics at scrape time:
 * reconnects (whatever was published meanwhile is recovered from the store, never from the bus) and
 * messages dropped because a subscriber fell behind (receivers fill those gaps from history).
 */
public final class NatsMetrics {
  private NatsMetrics() {}

  /** Registers the connection's metrics; one NATS connection per registry. */
  public static void register(PrometheusRegistry registry, Connection nats) {
    Objects.requireNonNull(nats, "nats");
    CounterWithCallback.builder().name("messenger_nats_reconnects_total")
        .help("times the NATS connection was re-established after it was lost")
        .callback(cb -> cb.call(nats.getStatistics().getReconnects())).register(registry);
    CounterWithCallback.builder().name("messenger_nats_dropped_messages_total")
        .help("messages NATS delivered that this process dropped because a subscriber's pending limit was reached")
        .callback(cb -> cb.call(nats.getStatistics().getDroppedCount())).register(registry);
    GaugeWithCallback.builder().name("messenger_nats_connected")
        .help("1 while the NATS connection is up, 0 while it is down or reconnecting")
        .callback(cb -> cb.call(nats.getStatus() == Connection.Status.CONNECTED ? 1 : 0)).register(registry);
  }

  /**
   * Registers what waits in the process's main subscriber (a dispatcher) before its handler runs: a queue an
   * operator cannot see from the server side, where work waits before any admission decision.
   */
  public static void registerBacklog(PrometheusRegistry registry, String subscriber, Consumer consumer) {
    Objects.requireNonNull(consumer, "consumer");
    GaugeWithCallback.builder().name("messenger_nats_pending_messages")
        .help("messages received from NATS and not yet handed to their handler").labelNames("subscriber")
        .callback(cb -> cb.call(consumer.getPendingMessageCount(), subscriber)).register(registry);
    GaugeWithCallback.builder().name("messenger_nats_pending_bytes")
        .help("bytes of the messages received from NATS and not yet handed to their handler").labelNames("subscriber")
        .callback(cb -> cb.call(consumer.getPendingByteCount(), subscriber)).register(registry);
  }
}
