package dev.messenger.client;

import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.PresenceWatch;
import dev.messenger.api.v1.ReadMarker;
import dev.messenger.api.v1.Typing;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Small control requests waiting to be written, coalesced so that memory stays bounded however often the
 * application calls: one read marker per conversation (the highest), one typing state per conversation
 * (at most {@link #MAX_TYPING}, oldest dropped; stale ones are dropped on reconnect), and the presence watch
 * list, which is re-sent in full on every new stream. Thread-safe.
 */
final class PendingControl {
  static final int MAX_TYPING = 64;
  static final int MAX_WATCHED = 500;

  private final Map<String, Long> reads = new LinkedHashMap<>();
  private final Map<String, Boolean> typing = new LinkedHashMap<>();
  private final Set<String> watched = new LinkedHashSet<>();
  private final Set<String> addWatch = new LinkedHashSet<>();
  private final Set<String> removeWatch = new LinkedHashSet<>();

  synchronized void markRead(String conversationId, long upToSeq) {
    reads.merge(conversationId, upToSeq, Math::max);
  }

  synchronized void setTyping(String conversationId, boolean isTyping) {
    typing.remove(conversationId);
    if (typing.size() >= MAX_TYPING) {
      Iterator<String> oldest = typing.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    typing.put(conversationId, isTyping);
  }

  /** Changes the watch list; throws when it would exceed {@link #MAX_WATCHED} users. */
  synchronized void watch(Set<String> add, Set<String> remove) {
    Set<String> next = new LinkedHashSet<>(watched);
    next.removeAll(remove);
    next.addAll(add);
    if (next.size() > MAX_WATCHED) {
      throw new IllegalArgumentException("at most " + MAX_WATCHED + " users can be watched");
    }
    for (String user : remove) {
      if (watched.contains(user) && !add.contains(user)) {
        addWatch.remove(user);
        removeWatch.add(user);
      }
    }
    for (String user : add) {
      if (!watched.contains(user)) {
        removeWatch.remove(user);
        addWatch.add(user);
      }
    }
    watched.clear();
    watched.addAll(next);
  }

  /** A new stream: typing states are stale, the whole watch list must be sent again. */
  synchronized void newStream() {
    typing.clear();
    removeWatch.clear();
    addWatch.clear();
    addWatch.addAll(watched);
  }

  /** The next control frame to write, or null. */
  synchronized ClientFrame poll() {
    if (!addWatch.isEmpty() || !removeWatch.isEmpty()) {
      PresenceWatch watch =
          PresenceWatch.newBuilder().addAllAddUserIds(addWatch).addAllRemoveUserIds(removeWatch).build();
      addWatch.clear();
      removeWatch.clear();
      return ClientFrame.newBuilder().setPresenceWatch(watch).build();
    }
    Iterator<Map.Entry<String, Long>> read = reads.entrySet().iterator();
    if (read.hasNext()) {
      Map.Entry<String, Long> entry = read.next();
      read.remove();
      return ClientFrame.newBuilder()
          .setRead(ReadMarker.newBuilder().setConversationId(entry.getKey()).setUpToSeq(entry.getValue()))
          .build();
    }
    Iterator<Map.Entry<String, Boolean>> type = typing.entrySet().iterator();
    if (type.hasNext()) {
      Map.Entry<String, Boolean> entry = type.next();
      type.remove();
      return ClientFrame.newBuilder()
          .setTyping(Typing.newBuilder().setConversationId(entry.getKey()).setTyping(entry.getValue()))
          .build();
    }
    return null;
  }
}
