package dev.messenger.presence;

import dev.messenger.common.Subjects;
import dev.messenger.presence.client.PresencePartitions;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Subscription;
import java.util.HashMap;
import java.util.Map;

/**
 * The NATS subscriptions to the subjects of the partitions this instance owns. Messages are applied on the
 * dispatcher's thread, so NATS's pending limits bound what waits (beyond them NATS drops, and the next
 * refresh repairs).
 */
final class PartitionFeed implements AutoCloseable {
  private final Connection nats;
  private final Subjects subjects;
  private final Dispatcher dispatcher;
  private final PresenceEngine engine;
  private final Map<Integer, Subscription> subscriptions = new HashMap<>();

  PartitionFeed(Connection nats, Subjects subjects, PresenceEngine engine) {
    this.nats = nats;
    this.subjects = subjects;
    this.engine = engine;
    this.dispatcher = nats.createDispatcher();
  }

  synchronized void subscribe(int partition) {
    subscriptions.computeIfAbsent(partition, p -> dispatcher.subscribe(PresencePartitions.subject(subjects, p),
        message -> engine.onMessage(p, message.getData())));
  }

  synchronized void unsubscribe(int partition) {
    Subscription subscription = subscriptions.remove(partition);
    if (subscription != null) {
      dispatcher.unsubscribe(subscription);
    }
  }

  @Override
  public synchronized void close() {
    subscriptions.clear();
    nats.closeDispatcher(dispatcher);
  }
}
