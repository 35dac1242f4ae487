package dev.messenger.router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The direct conversations this router has seen stored, most recent first, up to a bound: their metadata
 * row is written once, not before every send. Rows are never deleted, so an entry cannot go stale.
 */
final class KnownConversations {
  private final Map<String, Boolean> recent;

  KnownConversations(int capacity) {
    this.recent = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized boolean contains(String conversationId) {
    return recent.get(conversationId) != null;
  }

  synchronized void add(String conversationId) {
    recent.put(conversationId, Boolean.TRUE);
  }
}
