package dev.messenger.router;

import dev.messenger.api.v1.Message;
import java.util.List;
import java.util.Set;

/** Tells the members' devices about committed messages, in seq order. */
interface DeliveryPublisher {
  void publish(Set<String> members, List<Message> messages);
}
