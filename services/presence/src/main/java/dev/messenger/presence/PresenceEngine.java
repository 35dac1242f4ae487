package dev.messenger.presence;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.messenger.internal.v1.LiveStream;
import dev.messenger.internal.v1.PresenceCommand;
import dev.messenger.internal.v1.PresenceReport;
import dev.messenger.internal.v1.StreamKey;
import dev.messenger.internal.v1.WatchEntry;
import dev.messenger.presence.client.PresencePartitions;
import dev.messenger.presence.cluster.SessionServerWatch;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence state of the partitions this instance owns. Applies session servers' reports and etcd's news
 * of dead session servers, and on every tick hands the changes that became due to the {@link ChangeSink}.
 * Thread-safe: one lock, held briefly (no I/O under it; the sink does not block).
 */
final class PresenceEngine implements SessionServerWatch.Listener {
  private static final Logger log = LoggerFactory.getLogger(PresenceEngine.class);
  private static final long SWEEP_EVERY_MS = 1000;

  private final PresenceTimings timings;
  private final int partitionCount;
  private final ChangeSink sink;
  private final Clock clock;
  private final long tombstoneMs;
  private final Map<Integer, Partition> partitions = new HashMap<>();
  private final Map<String, Long> goneServers = new HashMap<>();
  private final Set<String> misroutedServers = new HashSet<>();
  private long nextSweep;

  /**
   * @param tombstone how long reports from a session server that etcd declared gone are ignored, so that
   *     reports still in flight from it cannot bring its streams back
   */
  PresenceEngine(PresenceTimings timings, int partitionCount, ChangeSink sink, Clock clock, Duration tombstone) {
    this.timings = requireNonNull(timings, "timings");
    this.partitionCount = partitionCount;
    this.sink = requireNonNull(sink, "sink");
    this.clock = requireNonNull(clock, "clock");
    this.tombstoneMs = tombstone.toMillis();
  }

  /** Starts serving a partition in which {@code publishedOnline} were last published online. */
  synchronized void acquire(int partition, Collection<String> publishedOnline) {
    partitions.put(partition, new Partition(new PresenceTable(timings, clock.millis(), publishedOnline),
        new WatchTable()));
  }

  /** Forgets a partition: its new owner rebuilds it. */
  synchronized void release(int partition) {
    partitions.remove(partition);
  }

  synchronized Set<Integer> partitions() {
    return new TreeSet<>(partitions.keySet());
  }

  /** A message from the partition's subject. */
  void onMessage(int partition, byte[] data) {
    PresenceCommand command;
    try {
      command = PresenceCommand.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      log.warn("dropping a malformed presence command on partition {}", partition);
      return;
    }
    apply(partition, command);
  }

  synchronized void apply(int partition, PresenceCommand command) {
    Partition state = partitions.get(partition);
    if (state == null) {
      return;
    }
    long now = clock.millis();
    switch (command.getCommandCase()) {
      case REPORT -> applyReport(partition, state, command.getReport(), now);
      case VISIBILITY -> {
        String userId = command.getVisibility().getUserId();
        sink.visibilityChanged(userId, state.watches.watchersOf(userId, now));
      }
      default -> { }
    }
    flush(partition, state, now);
  }

  /** The session server is gone: its streams and watches end now. */
  @Override
  public synchronized void serverGone(String serverId) {
    long now = clock.millis();
    goneServers.put(serverId, now);
    partitions.forEach((partition, state) -> {
      state.table.serverGone(serverId, now);
      state.watches.serverGone(serverId);
      flush(partition, state, now);
    });
  }

  /** The session server is (again) registered: its reports count. */
  @Override
  public synchronized void serverSeen(String serverId) {
    goneServers.remove(serverId);
  }

  /** Publishes whatever became due: grace periods and online delays that ran out, streams that expired. */
  synchronized void tick() {
    long now = clock.millis();
    partitions.forEach((partition, state) -> flush(partition, state, now));
    if (now >= nextSweep) {
      nextSweep = now + SWEEP_EVERY_MS;
      partitions.values().forEach(state -> state.watches.sweep(now));
      goneServers.values().removeIf(since -> now - since > tombstoneMs);
    }
  }

  /** Users published online in the partitions owned here. */
  synchronized int onlineUsers() {
    int online = 0;
    for (Partition state : partitions.values()) {
      online += state.table.publishedOnline();
    }
    return online;
  }

  synchronized boolean isPublishedOnline(String userId) {
    Partition state = partitions.get(PresencePartitions.of(userId, partitionCount));
    return state != null && state.table.isPublishedOnline(userId);
  }

  private void applyReport(int partition, Partition state, PresenceReport report, long now) {
    String serverId = report.getServerId();
    boolean gone = goneServers.containsKey(serverId);
    long expiresAt = now + report.getTtlMs();
    for (StreamKey ended : report.getEndedStreamsList()) {
      state.table.streamEnded(ended.getUserId(), new StreamRef(serverId, ended.getStreamId()), now);
    }
    for (WatchEntry ended : report.getEndedWatchesList()) {
      state.watches.ended(ended.getWatchedUserId(),
          new WatchKey(ended.getWatcherUserId(), serverId, ended.getWatcherStreamId()));
    }
    if (gone) {
      return;
    }
    for (LiveStream live : report.getLiveStreamsList()) {
      if (belongs(partition, live.getUserId(), serverId)) {
        state.table.streamLive(live.getUserId(), new StreamRef(serverId, live.getStreamId()), expiresAt, now);
      }
    }
    for (WatchEntry live : report.getLiveWatchesList()) {
      if (belongs(partition, live.getWatchedUserId(), serverId)) {
        boolean fresh = state.watches.live(live.getWatchedUserId(),
            new WatchKey(live.getWatcherUserId(), serverId, live.getWatcherStreamId()), expiresAt, now);
        if (fresh && live.getSendCurrent()) {
          sink.currentWanted(live.getWatchedUserId(), live.getWatcherUserId());
        }
      }
    }
  }

  private boolean belongs(int partition, String userId, String serverId) {
    if (PresencePartitions.of(userId, partitionCount) == partition) {
      return true;
    }
    if (misroutedServers.add(serverId)) {
      log.warn("server {} reports users on the wrong presence partition: is its partition count {}?",
          serverId, partitionCount);
    }
    return false;
  }

  private void flush(int partition, Partition state, long now) {
    for (PresenceChange change : state.table.advance(now)) {
      sink.changed(partition, change, state.watches.watchersOf(change.userId(), now));
    }
  }

  private record Partition(PresenceTable table, WatchTable watches) {}
}
