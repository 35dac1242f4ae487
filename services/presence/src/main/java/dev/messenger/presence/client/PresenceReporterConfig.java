package dev.messenger.presence.client;

import static java.util.Objects.requireNonNull;

import dev.messenger.common.Subjects;
import java.time.Duration;

/**
 * Settings of a {@link PresenceReporter}.
 *
 * @param subjects the deployment's namespace (NATS subjects, etcd keys)
 * @param serverId the reporting server's id; for session servers the id registered under
 *     {@code /<ns>/sessions/<serverId>}, so presence drops its streams when that key disappears
 * @param partitions presence partition count; must equal the presence instances' count
 * @param refreshInterval how often everything held is reported again; presence forgets what is not
 *     reported again within three intervals ({@link #ttl()})
 * @param silenceLimit a stream without {@code streamOpened} or {@code heartbeat} for longer than this is no
 *     longer reported, so presence lets it expire; {@link Duration#ZERO} disables the check
 * @param watchLimit most users one stream may watch explicitly
 * @param watchMode whether watches belong to open streams ({@link WatchMode#STREAM}, session servers) or
 *     stand alone ({@link WatchMode#STANDALONE}, presence's own WatchPresence calls)
 * @param maxPending most reports waiting to be published; beyond it the oldest are dropped (refreshes
 *     repair what they said)
 */
public record PresenceReporterConfig(
    Subjects subjects,
    String serverId,
    int partitions,
    Duration refreshInterval,
    Duration silenceLimit,
    int watchLimit,
    WatchMode watchMode,
    int maxPending) {

  /** How watches relate to streams. */
  public enum WatchMode {
    /** A watch belongs to an open stream: watches of streams not open are ignored, and end with the stream. */
    STREAM,
    /**
     * Watches stand on their own until removed. Presence still answers a new one with the current state: the
     * caller's own read can miss a change that was decided before its watch arrived and stored after the read.
     */
    STANDALONE
  }

  /** The default explicit watch limit of a stream, as the public API promises. */
  public static final int DEFAULT_WATCH_LIMIT = 500;

  public PresenceReporterConfig {
    requireNonNull(subjects, "subjects");
    requireNonNull(serverId, "serverId");
    requireNonNull(refreshInterval, "refreshInterval");
    requireNonNull(silenceLimit, "silenceLimit");
    requireNonNull(watchMode, "watchMode");
    if (serverId.isBlank() || partitions < 1 || refreshInterval.toMillis() < 10 || silenceLimit.isNegative()
        || watchLimit < 1 || maxPending < 16) {
      throw new IllegalArgumentException("invalid presence reporter settings");
    }
  }

  /**
   * 64 partitions, a refresh every 2 s, streams silent for 30 s (twice the session's default heartbeat
   * interval) left out, 500 watches per stream, watches tied to streams.
   */
  public static PresenceReporterConfig defaults(Subjects subjects, String serverId) {
    return new PresenceReporterConfig(subjects, serverId, PresencePartitions.DEFAULT_COUNT, Duration.ofSeconds(2),
        Duration.ofSeconds(30), DEFAULT_WATCH_LIMIT, WatchMode.STREAM, 100_000);
  }

  /** How long presence keeps what this reporter said without hearing it again: three refresh intervals. */
  public Duration ttl() {
    return refreshInterval.multipliedBy(3);
  }

  public PresenceReporterConfig withPartitions(int count) {
    return new PresenceReporterConfig(subjects, serverId, count, refreshInterval, silenceLimit, watchLimit,
        watchMode, maxPending);
  }

  public PresenceReporterConfig withRefreshInterval(Duration interval) {
    return new PresenceReporterConfig(subjects, serverId, partitions, interval, silenceLimit, watchLimit,
        watchMode, maxPending);
  }

  public PresenceReporterConfig withSilenceLimit(Duration limit) {
    return new PresenceReporterConfig(subjects, serverId, partitions, refreshInterval, limit, watchLimit,
        watchMode, maxPending);
  }

  public PresenceReporterConfig withWatchMode(WatchMode mode) {
    return new PresenceReporterConfig(subjects, serverId, partitions, refreshInterval, silenceLimit, watchLimit, mode,
        maxPending);
  }
}
