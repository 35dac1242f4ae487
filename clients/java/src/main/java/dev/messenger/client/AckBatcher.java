package dev.messenger.client;

import dev.messenger.api.v1.DeliveryAck;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Coalesces delivery acknowledgements: one cumulative DeliveryAck per conversation per flush. A
 * conversation becomes due after {@code maxMessages} commits; {@link #markAllDue()} (on a timer and at
 * CaughtUp) makes everything due. Event-loop only.
 */
final class AckBatcher {
  private final int maxMessages;
  private final Map<String, Long> upTo = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();
  private final Set<String> due = new LinkedHashSet<>();

  AckBatcher(int maxMessages) {
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be positive");
    }
    this.maxMessages = maxMessages;
  }

  /** Records a committed delivery; true when the conversation just became due. */
  boolean committed(String conversationId, long seq) {
    upTo.merge(conversationId, seq, Math::max);
    int count = counts.merge(conversationId, 1, Integer::sum);
    return count >= maxMessages && due.add(conversationId);
  }

  /** True when some acks are recorded but not due yet. */
  boolean hasUndue() {
    return upTo.size() > due.size();
  }

  void markAllDue() {
    due.addAll(upTo.keySet());
  }

  /** The next due ack, removed from the batch, or null. */
  DeliveryAck pollDue() {
    Iterator<String> it = due.iterator();
    if (!it.hasNext()) {
      return null;
    }
    String conversationId = it.next();
    it.remove();
    counts.remove(conversationId);
    long seq = upTo.remove(conversationId);
    return DeliveryAck.newBuilder().setConversationId(conversationId).setUpToSeq(seq).build();
  }
}
