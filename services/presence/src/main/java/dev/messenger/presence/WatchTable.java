package dev.messenger.presence;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The explicit watches on the users of one partition: who wants to hear of each user's changes. Each watch
 * lives until ended or until its expiry passes without a refresh. Not thread-safe.
 */
final class WatchTable {
  private final Map<String, Map<WatchKey, Long>> byWatched = new HashMap<>();
  private int size;

  /** Adds or refreshes a watch; true when it is new (was absent or had expired). */
  boolean live(String watchedUserId, WatchKey key, long expiresAt, long now) {
    Map<WatchKey, Long> watches = byWatched.computeIfAbsent(watchedUserId, u -> new HashMap<>(4));
    Long previous = watches.put(key, expiresAt);
    if (previous == null) {
      size++;
    }
    return previous == null || previous <= now;
  }

  void ended(String watchedUserId, WatchKey key) {
    Map<WatchKey, Long> watches = byWatched.get(watchedUserId);
    if (watches != null && watches.remove(key) != null) {
      size--;
      if (watches.isEmpty()) {
        byWatched.remove(watchedUserId);
      }
    }
  }

  /** Ends every watch held on the server's streams. */
  void serverGone(String serverId) {
    byWatched.values().removeIf(watches -> {
      int before = watches.size();
      watches.keySet().removeIf(key -> key.serverId().equals(serverId));
      size -= before - watches.size();
      return watches.isEmpty();
    });
  }

  /** The distinct users with a live watch on {@code watchedUserId}. */
  Set<String> watchersOf(String watchedUserId, long now) {
    Map<WatchKey, Long> watches = byWatched.get(watchedUserId);
    if (watches == null) {
      return Set.of();
    }
    Set<String> watchers = new LinkedHashSet<>();
    watches.forEach((key, expiresAt) -> {
      if (expiresAt > now) {
        watchers.add(key.watcherUserId());
      }
    });
    return watchers;
  }

  /** Forgets expired watches. */
  void sweep(long now) {
    byWatched.values().removeIf(watches -> {
      int before = watches.size();
      watches.values().removeIf(expiresAt -> expiresAt <= now);
      size -= before - watches.size();
      return watches.isEmpty();
    });
  }

  int size() {
    return size;
  }
}
