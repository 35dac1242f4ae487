package dev.messenger.loadgen.run;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every conversation of a run with its bookkeeping. Built once after the connect ramp, then read-only. */
public final class Ledger {
  private final Map<String, ConversationLedger> conversations;

  public Ledger(Collection<ConversationLedger> conversations) {
    Map<String, ConversationLedger> map = new LinkedHashMap<>();
    conversations.forEach(c -> map.put(c.id(), c));
    this.conversations = Map.copyOf(map);
  }

  public Optional<ConversationLedger> find(String conversationId) {
    return Optional.ofNullable(conversations.get(conversationId));
  }

  public Collection<ConversationLedger> conversations() {
    return conversations.values();
  }

  /** The counts of every conversation together, as they stand now. */
  public Tally tally() {
    Tally total = Tally.ZERO;
    for (ConversationLedger conversation : conversations.values()) {
      total = total.plus(conversation.tally());
    }
    return total;
  }

  /** Deliveries of acknowledged messages still missing, at most {@code limit}. */
  public List<ConversationLedger.Missing> missing(int limit) {
    List<ConversationLedger.Missing> out = new java.util.ArrayList<>();
    for (ConversationLedger conversation : conversations.values()) {
      if (out.size() >= limit) {
        break;
      }
      out.addAll(conversation.missing(limit - out.size()));
    }
    return out;
  }

  /** Per conversation id, the acknowledged messages with the seq each acknowledgement gave (0: none). */
  public Map<String, Map<ConversationLedger.MessageKey, Long>> ackedPlacesByConversation() {
    Map<String, Map<ConversationLedger.MessageKey, Long>> out = new LinkedHashMap<>();
    conversations.forEach((id, c) -> out.put(id, c.ackedPlaces()));
    return out;
  }

  /** Per conversation id, the acknowledged messages: what history must hold. */
  public Map<String, List<ConversationLedger.MessageKey>> ackedByConversation() {
    Map<String, List<ConversationLedger.MessageKey>> out = new LinkedHashMap<>();
    conversations.forEach((id, c) -> out.put(id, c.ackedMessages()));
    return out;
  }
}
