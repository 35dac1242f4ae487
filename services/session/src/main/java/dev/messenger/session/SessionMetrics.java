package dev.messenger.session;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** The session server's own metrics; label values are bounded (reasons and outcomes, never ids). */
final class SessionMetrics {
  private final Histogram sendDuration;
  private final Counter sends;
  private final Counter streamsClosed;
  private final Counter deliveryAcks;
  private final Counter catchUpRounds;
  private final Counter routerRetries;
  private final Histogram deliveryLag;

  SessionMetrics(PrometheusRegistry registry, IntSupplier openStreams, LongSupplier queuedBytes) {
    sendDuration = Histogram.builder().name("messenger_session_send_duration_seconds")
        .help("time from a valid send to its durable acknowledgement").register(registry);
    sends = Counter.builder().name("messenger_session_sends_total")
        .help("sends by outcome").labelNames("outcome").register(registry);
    streamsClosed = Counter.builder().name("messenger_session_streams_closed_total")
        .help("streams ended, by reason: client_completed, client_cancelled, or the reason the server gave").labelNames("reason").register(registry);
    deliveryAcks = Counter.builder().name("messenger_session_delivery_acks_total")
        .help("delivery acks of streams: recorded, merged into the conversation's ack window, refused "
            + "(rate_limited), or skipped when they newly cover only the user's own messages")
        .labelNames("outcome").register(registry);
    catchUpRounds = Counter.builder().name("messenger_session_catchup_rounds_total")
        .help("history reads a stream started to catch up, by cause: connect, gap (a live message missing), "
            + "resync (the bus reconnected, dropped events, or history moved past the stream), held_overflow")
        .labelNames("cause").register(registry);
    routerRetries = Counter.builder().name("messenger_session_router_retries_total")
        .help("submissions to a router tried again, by cause: no_reply (timeout, no router subscribed) or "
            + "unavailable (the router answered UNAVAILABLE, e.g. NOT_OWNER during a handover)")
        .labelNames("cause").register(registry);
    // Known causes start at 0, so that rate() and alerts see them before the first retry.
    routerRetries.labelValues("no_reply");
    routerRetries.labelValues("unavailable");
    deliveryLag = Histogram.builder().name("messenger_session_delivery_lag_seconds")
        .help("from a message's commit (its server time, the router's clock) to its live frame queued on a "
            + "device stream; catch-up deliveries are not counted")
        .register(registry);
    GaugeWithCallback.builder().name("messenger_session_streams").help("open device streams")
        .callback(cb -> cb.call(openStreams.getAsInt())).register(registry);
    GaugeWithCallback.builder().name("messenger_session_stream_queue_bytes")
        .help("bytes of frames queued for device streams until their clients are ready, over all streams")
        .callback(cb -> cb.call(queuedBytes.getAsLong())).register(registry);
  }

  void catchUpRound(String cause) {
    catchUpRounds.labelValues(cause).inc();
  }

  void liveDelivered(long serverTimeMs) {
    deliveryLag.observe(Math.max(0, System.currentTimeMillis() - serverTimeMs) / 1e3);
  }

  void routerRetried(String cause) {
    routerRetries.labelValues(cause).inc();
  }

  void sendCompleted(long startNanos, Throwable error) {
    if (error == null) {
      sendDuration.observe((System.nanoTime() - startNanos) / 1e9);
      sends.labelValues("acked").inc();
    } else {
      sends.labelValues("failed").inc();
    }
  }

  void sendRejected(String reason) {
    sends.labelValues(reason.isEmpty() ? "rejected" : reason.toLowerCase(java.util.Locale.ROOT)).inc();
  }

  void deliveryAck(String outcome) {
    deliveryAcks.labelValues(outcome).inc();
  }

  void streamClosed(String reason) {
    streamsClosed.labelValues(reason).inc();
  }
}
