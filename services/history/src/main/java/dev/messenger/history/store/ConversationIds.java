package dev.messenger.history.store;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.ConversationKind;
import java.util.Optional;

/** Conversation ids: {@code dm:<smaller user id>:<larger user id>} for 1:1 (string order), {@code g:<id>} for groups. */
public final class ConversationIds {
  private static final String DIRECT_PREFIX = "dm:";
  private static final String GROUP_PREFIX = "g:";

  private ConversationIds() {}

  /** The id of the 1:1 conversation between two distinct users, whichever order they are given in. */
  public static String direct(String userA, String userB) {
    requireNonNull(userA, "userA");
    requireNonNull(userB, "userB");
    if (userA.isEmpty() || userB.isEmpty() || userA.contains(":") || userB.contains(":")) {
      throw new IllegalArgumentException("user ids must be non-empty and contain no ':'");
    }
    if (userA.equals(userB)) {
      throw new IllegalArgumentException("a direct conversation needs two distinct users");
    }
    return userA.compareTo(userB) < 0
        ? DIRECT_PREFIX + userA + ":" + userB
        : DIRECT_PREFIX + userB + ":" + userA;
  }

  /** The kind a conversation id denotes; UNSPECIFIED for ids of neither form. */
  public static ConversationKind kindOf(String conversationId) {
    if (directMembers(conversationId).isPresent()) {
      return ConversationKind.CONVERSATION_KIND_DIRECT;
    }
    if (conversationId.startsWith(GROUP_PREFIX) && conversationId.length() > GROUP_PREFIX.length()) {
      return ConversationKind.CONVERSATION_KIND_GROUP;
    }
    return ConversationKind.CONVERSATION_KIND_UNSPECIFIED;
  }

  /** The two members of a well-formed 1:1 id (smaller first); empty for anything else. */
  public static Optional<Pair> directMembers(String conversationId) {
    if (conversationId == null || !conversationId.startsWith(DIRECT_PREFIX)) {
      return Optional.empty();
    }
    String rest = conversationId.substring(DIRECT_PREFIX.length());
    int colon = rest.indexOf(':');
    if (colon <= 0 || colon == rest.length() - 1 || rest.indexOf(':', colon + 1) >= 0) {
      return Optional.empty();
    }
    String a = rest.substring(0, colon);
    String b = rest.substring(colon + 1);
    return a.compareTo(b) < 0 ? Optional.of(new Pair(a, b)) : Optional.empty();
  }

  /** The other member of a 1:1 conversation, seen from {@code userId}; empty if not 1:1 or not a member. */
  public static Optional<String> peerOf(String conversationId, String userId) {
    return directMembers(conversationId)
        .flatMap(p -> p.first().equals(userId)
            ? Optional.of(p.second())
            : p.second().equals(userId) ? Optional.of(p.first()) : Optional.empty());
  }

  /** The two members of a 1:1 conversation, {@code first < second}. */
  public record Pair(String first, String second) {}
}
