package dev.messenger.session;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map that keeps only its most recently used entries: per-stream memory that stays bounded. */
final class RecentKeys {
  private RecentKeys() {}

  static <K, V> Map<K, V> map(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }
}
