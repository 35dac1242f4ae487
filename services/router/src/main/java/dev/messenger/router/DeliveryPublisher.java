package dev.messenger.router;

import dev.messenger.api.v1.Message;
import java.util.List;
import java.util.Set;

/** Tells the members' devices about committed messages, in seq order, and about projection progress. */
interface DeliveryPublisher {
  void publish(Set<String> members, List<Message> messages);

  /** History of every member now holds the conversation up to {@code upToSeq}. */
  default void projected(Set<String> members, String conversationId, long upToSeq) {}
}
