package dev.messenger.common.limits;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * A service's per-user limits as an operator sees them, read at scrape time: how often each refused (a limit
 * set too low for real users, or a client that floods) and how many users each tracks now (its memory).
 */
public final class RateLimitMetrics {
  private RateLimitMetrics() {}

  /** Registers the metrics of all of a service's limiters at once; one call per registry. */
  public static void register(PrometheusRegistry registry, List<KeyedRateLimiter> limiters) {
    List<KeyedRateLimiter> all = List.copyOf(limiters);
    CounterWithCallback.builder().name("messenger_rate_limit_refusals_total")
        .help("requests refused RESOURCE_EXHAUSTED by a per-user rate limit, by the limit's reason")
        .labelNames("limit")
        .callback(cb -> all.forEach(limiter -> cb.call(limiter.refused(), limiter.reason()))).register(registry);
    GaugeWithCallback.builder().name("messenger_rate_limit_users")
        .help("users a per-user rate limit holds a bucket for now (buckets that filled up again are dropped)")
        .labelNames("limit")
        .callback(cb -> all.forEach(limiter -> cb.call(limiter.tracked(), limiter.reason()))).register(registry);
  }
}
