package dev.messenger.session;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * When each session server was last heard from. A server is silent when nothing came from it for longer
 * than the silence limit, but only once this table has been listening that long itself: a table that just
 * started, or whose bus connection just came back, has not had the chance to hear anyone.
 */
final class LivenessTable {
  private final long silenceLimitNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Long> lastHeard = new ConcurrentHashMap<>();
  private volatile long listeningSince;

  LivenessTable(Duration silenceLimit, LongSupplier nanoTime) {
    this.silenceLimitNanos = silenceLimit.toNanos();
    this.nanoTime = nanoTime;
    this.listeningSince = nanoTime.getAsLong();
  }

  void heard(String serverId) {
    lastHeard.put(serverId, nanoTime.getAsLong());
  }

  /** What was heard before may have missed beats: judge only after a full silence limit from now. */
  void listenAgain() {
    listeningSince = nanoTime.getAsLong();
  }

  boolean isSilent(String serverId) {
    long now = nanoTime.getAsLong();
    if (now - listeningSince <= silenceLimitNanos) {
      return false;
    }
    Long last = lastHeard.get(serverId);
    return last == null || now - last > silenceLimitNanos;
  }

  /** Drops servers silent for longer than {@code age} (they are gone from etcd by then too). */
  void forgetSilentFor(Duration age) {
    long now = nanoTime.getAsLong();
    lastHeard.values().removeIf(last -> now - last > age.toNanos());
  }

  int size() {
    return lastHeard.size();
  }
}
