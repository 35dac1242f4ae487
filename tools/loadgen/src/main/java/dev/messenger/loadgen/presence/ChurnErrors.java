package dev.messenger.loadgen.presence;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Things that went wrong on the client side of a churn run. Thread-safe. Stream errors (the server's
 * reasons) are kept apart from the total: a dropped stream usually comes with one, so adding them would
 * count it twice.
 */
final class ChurnErrors {
  final AtomicLong watcherConnectFailures = new AtomicLong();
  final AtomicLong churnerConnectFailures = new AtomicLong();
  final AtomicLong watcherDrops = new AtomicLong();
  final AtomicLong churnerDrops = new AtomicLong();
  final AtomicLong actionFailures = new AtomicLong();
  private final AtomicLong streamErrors = new AtomicLong();
  private final Map<String, AtomicLong> byReason = new ConcurrentHashMap<>();

  /** A StreamError reported by a client, outside of a close the run asked for. */
  void streamError(String reason) {
    streamErrors.incrementAndGet();
    byReason.computeIfAbsent(reason.isEmpty() ? "UNKNOWN" : reason, r -> new AtomicLong()).incrementAndGet();
  }

  /** Failed connects, dropped streams and failed actions. */
  long total() {
    return watcherConnectFailures.get() + churnerConnectFailures.get() + watcherDrops.get() + churnerDrops.get()
        + actionFailures.get();
  }

  /**
   * The counts by kind, with "total" and "before_schedule" (those of the total that happened while the
   * watchers connected, given as {@code beforeSchedule}).
   */
  Map<String, Long> toMap(long beforeSchedule) {
    Map<String, Long> map = new LinkedHashMap<>();
    map.put("total", total());
    map.put("before_schedule", beforeSchedule);
    map.put("watcher_connect_failures", watcherConnectFailures.get());
    map.put("churner_connect_failures", churnerConnectFailures.get());
    map.put("watcher_stream_drops", watcherDrops.get());
    map.put("churner_stream_drops", churnerDrops.get());
    map.put("action_failures", actionFailures.get());
    map.put("stream_errors", streamErrors.get());
    new TreeMap<>(byReason).forEach((reason, count) -> map.put("stream_error." + reason, count.get()));
    return map;
  }
}
