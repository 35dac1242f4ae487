package dev.messenger.router;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;

/** The router's own metrics. */
final class RouterMetrics {
  private final Counter committed;
  private final Counter conflicts;
  private final Counter repaired;
  private final Counter submissions;

  RouterMetrics(PrometheusRegistry registry, IntSupplier ownedShards) {
    committed = Counter.builder().name("messenger_router_messages_committed_total")
        .help("messages given a sequence number and stored").register(registry);
    conflicts = Counter.builder().name("messenger_router_commit_conflicts_total")
        .help("batches refused by the store because another router took their sequence numbers")
        .register(registry);
    repaired = Counter.builder().name("messenger_router_messages_repaired_total")
        .help("committed messages whose fan-out was redone after a failure or takeover").register(registry);
    submissions = Counter.builder().name("messenger_router_submissions_total")
        .help("submissions received, by outcome").labelNames("outcome").register(registry);
    GaugeWithCallback.builder().name("messenger_router_owned_shards").help("shards this router owns")
        .callback(cb -> cb.call(ownedShards.getAsInt())).register(registry);
  }

  void committed(int n) {
    committed.inc(n);
  }

  void conflict() {
    conflicts.inc();
  }

  void repaired(int n) {
    repaired.inc(n);
  }

  void submission(String outcome) {
    submissions.labelValues(outcome).inc();
  }
}
