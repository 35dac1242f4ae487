package dev.messenger.presence.client;

import dev.messenger.common.Subjects;
import dev.messenger.internal.v1.LiveStream;
import dev.messenger.internal.v1.PresenceCommand;
import dev.messenger.internal.v1.PresenceReport;
import dev.messenger.internal.v1.StreamKey;
import dev.messenger.internal.v1.WatchEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects report entries by the partition of the user they concern and turns them into one NATS message
 * per partition, split so that no message holds more than a bounded number of entries.
 */
final class ReportBatch {
  /** Entries per message: keeps each well under NATS's default 1 MB payload limit. */
  static final int MAX_ENTRIES = 2000;

  private final Subjects subjects;
  private final String serverId;
  private final int ttlMs;
  private final int partitions;
  private final Map<Integer, List<PresenceReport.Builder>> byPartition = new LinkedHashMap<>();

  ReportBatch(Subjects subjects, String serverId, int ttlMs, int partitions) {
    this.subjects = subjects;
    this.serverId = serverId;
    this.ttlMs = ttlMs;
    this.partitions = partitions;
  }

  void liveStream(String userId, String deviceId, String streamId) {
    builderFor(userId).addLiveStreams(
        LiveStream.newBuilder().setUserId(userId).setDeviceId(deviceId).setStreamId(streamId));
  }

  void endedStream(String userId, String streamId) {
    builderFor(userId).addEndedStreams(StreamKey.newBuilder().setUserId(userId).setStreamId(streamId));
  }

  void liveWatch(String watched, String watcher, String streamId, boolean sendCurrent) {
    builderFor(watched).addLiveWatches(watch(watched, watcher, streamId).setSendCurrent(sendCurrent));
  }

  void endedWatch(String watched, String watcher, String streamId) {
    builderFor(watched).addEndedWatches(watch(watched, watcher, streamId));
  }

  /** Subject and payload of each message, in the order the partitions were first touched. */
  List<Outgoing> build() {
    List<Outgoing> out = new ArrayList<>();
    byPartition.forEach((partition, builders) -> {
      String subject = PresencePartitions.subject(subjects, partition);
      for (PresenceReport.Builder builder : builders) {
        out.add(new Outgoing(subject, PresenceCommand.newBuilder().setReport(builder).build().toByteArray()));
      }
    });
    return out;
  }

  private static WatchEntry.Builder watch(String watched, String watcher, String streamId) {
    return WatchEntry.newBuilder()
        .setWatchedUserId(watched)
        .setWatcherUserId(watcher)
        .setWatcherStreamId(streamId);
  }

  private PresenceReport.Builder builderFor(String userId) {
    List<PresenceReport.Builder> builders =
        byPartition.computeIfAbsent(PresencePartitions.of(userId, partitions), p -> new ArrayList<>());
    PresenceReport.Builder last = builders.isEmpty() ? null : builders.get(builders.size() - 1);
    if (last == null || entries(last) >= MAX_ENTRIES) {
      last = PresenceReport.newBuilder().setServerId(serverId).setTtlMs(ttlMs);
      builders.add(last);
    }
    return last;
  }

  private static int entries(PresenceReport.Builder b) {
    return b.getLiveStreamsCount() + b.getEndedStreamsCount() + b.getLiveWatchesCount() + b.getEndedWatchesCount();
  }

  /** One message to publish. */
  record Outgoing(String subject, byte[] payload) {}
}
