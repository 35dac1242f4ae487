package dev.messenger.presence;

import dev.messenger.presence.cluster.PartitionOwnership;
import dev.messenger.presence.store.PresenceStore;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops serving a partition: on taking it, loads who was last shown online there (so they go
 * offline if nobody reports their streams), then listens to its subject; on losing it, stops listening and
 * forgets it.
 */
final class PartitionLifecycle implements PartitionOwnership.Listener {
  private static final Logger log = LoggerFactory.getLogger(PartitionLifecycle.class);

  private final String instanceId;
  private final PresenceStore store;
  private final PresenceEngine engine;
  private final PartitionFeed feed;

  PartitionLifecycle(String instanceId, PresenceStore store, PresenceEngine engine, PartitionFeed feed) {
    this.instanceId = instanceId;
    this.store = store;
    this.engine = engine;
    this.feed = feed;
  }

  @Override
  public void onAcquired(int partition) throws Exception {
    Set<String> online = store.onlineIn(partition).toCompletableFuture().get(10, TimeUnit.SECONDS);
    engine.acquire(partition, online);
    feed.subscribe(partition);
    log.debug("presence {} serves partition {} ({} shown online)", instanceId, partition, online.size());
  }

  @Override
  public void onReleased(int partition) {
    feed.unsubscribe(partition);
    engine.release(partition);
    log.debug("presence {} no longer serves partition {}", instanceId, partition);
  }
}
