package dev.messenger.presence;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;

/** Presence's own metrics; no user ids in labels. */
final class PresenceMetrics {
  private final Counter changes;
  private final Counter fanout;

  private final PrometheusRegistry registry;

  PresenceMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    this.changes = Counter.builder()
        .name("messenger_presence_changes_total")
        .help("Presence changes published (online or offline, after grace and coalescing)")
        .register(registry);
    this.fanout = Counter.builder()
        .name("messenger_presence_fanout_messages_total")
        .help("Presence updates sent to watchers' user subjects")
        .register(registry);
  }

  /** Registers the gauges read from the engine on each scrape. */
  void registerGauges(IntSupplier onlineUsers, IntSupplier ownedPartitions) {
    GaugeWithCallback.builder()
        .name("messenger_presence_online_users")
        .help("Users shown online in the partitions this instance owns")
        .callback(callback -> callback.call(onlineUsers.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("messenger_presence_owned_partitions")
        .help("Presence partitions this instance owns")
        .callback(callback -> callback.call(ownedPartitions.getAsInt()))
        .register(registry);
  }

  void changed() {
    changes.inc();
  }

  void fannedOut(int messages) {
    if (messages > 0) {
      fanout.inc(messages);
    }
  }
}
