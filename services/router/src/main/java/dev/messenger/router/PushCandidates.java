package dev.messenger.router;

import dev.messenger.api.v1.Message;
import dev.messenger.common.ConversationIds;
import dev.messenger.internal.v1.PushCandidate;
import dev.messenger.push.client.PushCandidatePublisher;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Push jobs as a projection of the log: every committed message is handed to the push service's durable
 * queue before the projection checkpoint passes it, so a router that dies in between hands it over again
 * after the takeover (the queue stores a conversation's seq once).
 */
final class PushCandidates implements Projector.Derived {
  private final PushCandidatePublisher publisher;

  PushCandidates(PushCandidatePublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public CompletionStage<Void> apply(Set<String> members, List<Message> messages) {
    CompletableFuture<?>[] stored = new CompletableFuture<?>[messages.size()];
    for (int i = 0; i < messages.size(); i++) {
      stored[i] = publisher.publish(candidate(members, messages.get(i)));
    }
    return CompletableFuture.allOf(stored);
  }

  static PushCandidate candidate(Set<String> members, Message m) {
    String body = m.getBody();
    return PushCandidate.newBuilder()
        .setConversationId(m.getConversationId())
        .setSeq(m.getSeq())
        .setMessageId(m.getMessageId())
        .setSenderUserId(m.getSenderUserId())
        .setSenderDeviceId(m.getSenderDeviceId())
        .addAllMemberUserIds(members)
        .setServerTimeMs(m.getServerTimeMs())
        .setBodyPreview(body.length() <= PushCandidatePublisher.MAX_PREVIEW_CHARS
            ? body : body.substring(0, PushCandidatePublisher.MAX_PREVIEW_CHARS))
        .setConversationKind(ConversationIds.kindOf(m.getConversationId()))
        .build();
  }
}
