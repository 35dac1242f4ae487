package dev.messenger.push;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.LongSupplier;

/** Push's own metrics; label values are bounded (provider names, provider reasons, drop reasons). */
public final class PushMetrics {
  private final PrometheusRegistry registry;
  private final Counter queued;
  private final Counter sent;
  private final Counter failed;
  private final Counter retried;
  private final Counter deadLettered;
  private final Counter tokensRemoved;
  private final Counter dropped;
  private final Histogram latency;

  public PushMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    this.queued = Counter.builder().name("messenger_push_jobs_queued_total")
        .help("Device jobs queued from committed messages").register(registry);
    this.sent = Counter.builder().name("messenger_push_sent_total")
        .help("Notifications accepted by a provider").labelNames("provider").register(registry);
    this.failed = Counter.builder().name("messenger_push_failed_total")
        .help("Send attempts a provider refused or that failed, by provider and reason")
        .labelNames("provider", "reason").register(registry);
    this.retried = Counter.builder().name("messenger_push_retried_total")
        .help("Send attempts scheduled again after a transient failure").labelNames("provider").register(registry);
    this.deadLettered = Counter.builder().name("messenger_push_dead_lettered_total")
        .help("Notifications given up on after the last attempt").labelNames("provider").register(registry);
    this.tokensRemoved = Counter.builder().name("messenger_push_tokens_removed_total")
        .help("Registrations removed because the provider said the token is dead").labelNames("provider")
        .register(registry);
    this.dropped = Counter.builder().name("messenger_push_dropped_total")
        .help("Due jobs that sent nothing, by reason").labelNames("reason").register(registry);
    this.latency = Histogram.builder().name("messenger_push_commit_to_accept_seconds")
        .help("From the message's commit to the provider's acceptance of its notification")
        .labelNames("provider")
        .classicUpperBounds(0.5, 1, 2, 3, 4, 5, 7.5, 10, 15, 30, 60, 300)
        .register(registry);
    // Both providers' series start at 0, so that rate() and alerts see them before the first notification.
    for (String provider : java.util.List.of("apns", "fcm")) {
      sent.labelValues(provider);
      retried.labelValues(provider);
      deadLettered.labelValues(provider);
      tokensRemoved.labelValues(provider);
    }
  }

  /** Registers the queue depth gauge, read on each scrape from {@code depth}. */
  public void registerQueueDepth(LongSupplier candidates, LongSupplier jobs) {
    GaugeWithCallback.builder().name("messenger_push_queue_depth")
        .help("Messages waiting or in progress in push's JetStream work queues (last known)")
        .labelNames("queue")
        .callback(callback -> {
          callback.call(candidates.getAsLong(), "candidates");
          callback.call(jobs.getAsLong(), "jobs");
        })
        .register(registry);
  }

  public void queued(int jobs) {
    if (jobs > 0) {
      queued.inc(jobs);
    }
  }

  public void sent(String provider, double commitToAcceptSeconds) {
    sent.labelValues(provider).inc();
    latency.labelValues(provider).observe(Math.max(0, commitToAcceptSeconds));
  }

  public void failed(String provider, String reason) {
    failed.labelValues(provider, reason).inc();
  }

  public void retried(String provider) {
    retried.labelValues(provider).inc();
  }

  public void deadLettered(String provider) {
    deadLettered.labelValues(provider).inc();
  }

  public void tokenRemoved(String provider) {
    tokensRemoved.labelValues(provider).inc();
  }

  public void dropped(String reason) {
    dropped.labelValues(reason).inc();
  }
}
