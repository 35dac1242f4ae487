package dev.messenger.common.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.common.metrics.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitMetricsTest {
  private final AtomicLong nanos = new AtomicLong();
  private final KeyedRateLimiter connects = new KeyedRateLimiter("CONNECT_RATE_LIMITED", "streams", 1, 2, nanos::get);
  private final KeyedRateLimiter reads = new KeyedRateLimiter("READ_RATE_LIMITED", "reads", 1, 1, nanos::get);
  private final PrometheusRegistry registry = new PrometheusRegistry();

  @Test
  void should_serve_each_limits_refusals_and_users_by_its_reason() throws Exception {
    RateLimitMetrics.register(registry, List.of(connects, reads));
    for (int i = 0; i < 5; i++) {
      connects.acquire("alice");
    }
    reads.acquire("alice");
    reads.acquire("bob");

    String text = Scrape.of(registry);
    assertThat(text).contains("messenger_rate_limit_refusals_total{limit=\"CONNECT_RATE_LIMITED\"} 3.0")
        .contains("messenger_rate_limit_refusals_total{limit=\"READ_RATE_LIMITED\"} 0.0")
        .contains("messenger_rate_limit_users{limit=\"CONNECT_RATE_LIMITED\"} 1.0")
        .contains("messenger_rate_limit_users{limit=\"READ_RATE_LIMITED\"} 2.0");
  }

}
