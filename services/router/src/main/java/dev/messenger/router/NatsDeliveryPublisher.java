package dev.messenger.router;

import dev.messenger.api.v1.Message;
import dev.messenger.common.Subjects;
import dev.messenger.common.UserEventPublisher;
import dev.messenger.internal.v1.Projected;
import dev.messenger.internal.v1.UserEvent;
import io.nats.client.Connection;
import java.util.List;
import java.util.Set;

/**
 * Tells every device of every member about new messages by publishing on each member's user subject (the
 * routers' own: session servers take messages from no other), in seq order. Core NATS may drop a message: session servers notice the gap and read it from history.
 */
final class NatsDeliveryPublisher implements DeliveryPublisher {
  private final Connection nats;
  private final Subjects subjects;

  NatsDeliveryPublisher(Connection nats, Subjects subjects) {
    this.nats = nats;
    this.subjects = subjects;
  }

  @Override
  public void publish(Set<String> members, List<Message> messages) {
    for (String member : members) {
      String subject = subjects.user(member, UserEventPublisher.ROUTER);
      for (Message message : messages) {
        nats.publish(subject, UserEvent.newBuilder().setMessage(message).build().toByteArray());
      }
    }
  }

  @Override
  public void projected(Set<String> members, String conversationId, long upToSeq) {
    byte[] event = UserEvent.newBuilder()
        .setProjected(Projected.newBuilder().setConversationId(conversationId).setUpToSeq(upToSeq))
        .build().toByteArray();
    for (String member : members) {
      nats.publish(subjects.user(member, UserEventPublisher.ROUTER), event);
    }
  }
}
