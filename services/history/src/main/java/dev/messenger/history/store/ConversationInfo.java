package dev.messenger.history.store;

import dev.messenger.api.v1.ConversationKind;
import java.util.Set;

/**
 * A conversation's metadata row.
 *
 * @param lastSeq hint of the highest committed seq (never above it; may lag while a fan-out is pending)
 * @param projectedSeq every message up to this seq has been copied to every member
 */
public record ConversationInfo(
    String conversationId,
    ConversationKind kind,
    Set<String> members,
    String title,
    long createdMs,
    long lastSeq,
    long projectedSeq,
    long sealedEpoch,
    long sealedHead) {

  public ConversationInfo {
    members = Set.copyOf(members);
    title = title == null ? "" : title;
  }
}
