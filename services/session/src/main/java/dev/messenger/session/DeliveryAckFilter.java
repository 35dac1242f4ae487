package dev.messenger.session;

import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Message;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides which of one stream's delivery acks are worth a write and receipts. An ack that newly covers only
 * the user's own messages (the echo of the device's own sends, in a 1:1 chat half of all deliveries) tells
 * the other members nothing and moves no watermark they read. What the stream did not deliver itself (below
 * its resume cursor) is unknown, so a conversation's first ack on a resumed stream is always recorded.
 * Guarded by the stream's lock.
 */
final class DeliveryAckFilter {
  private final String userId;
  private final Cursor resumedFrom;
  /** conversation → lowest seq of another user delivered here that no recorded ack covers yet (or above). */
  private final Map<String, Long> firstUnrecordedOther = new HashMap<>();
  /** conversation → highest seq of another user delivered here. */
  private final Map<String, Long> lastOther = new HashMap<>();
  private final Set<String> ackedHere = new HashSet<>();

  DeliveryAckFilter(String userId, Cursor resumedFrom) {
    this.userId = userId;
    this.resumedFrom = resumedFrom;
  }

  /** A message was written to the stream (in seq order per conversation). */
  void delivered(Message message) {
    if (!message.getSenderUserId().equals(userId)) {
      firstUnrecordedOther.putIfAbsent(message.getConversationId(), message.getSeq());
      lastOther.merge(message.getConversationId(), message.getSeq(), Math::max);
    }
  }

  /** Notes an ack up to {@code upToSeq}; true when it must be recorded and told to the other members. */
  boolean worthRecording(String conversationId, long upToSeq) {
    boolean firstOnResumedStream = ackedHere.add(conversationId)
        && resumedFrom.getSeqsOrDefault(conversationId, 0L) > 0;
    Long firstOther = firstUnrecordedOther.get(conversationId);
    if (!firstOnResumedStream && (firstOther == null || firstOther > upToSeq)) {
      return false;
    }
    if (lastOther.getOrDefault(conversationId, 0L) > upToSeq) {
      firstUnrecordedOther.put(conversationId, upToSeq + 1);
    } else {
      firstUnrecordedOther.remove(conversationId);
      lastOther.remove(conversationId);
    }
    return true;
  }
}
