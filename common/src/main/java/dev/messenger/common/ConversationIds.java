package dev.messenger.common;

import dev.messenger.api.v1.ConversationKind;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.errors.ApiErrors;
import java.util.Optional;

/** Conversation ids: "dm:&lt;smaller user id&gt;:&lt;larger user id&gt;" for 1:1, "g:&lt;id&gt;" for groups. */
public final class ConversationIds {
  private static final String DIRECT_PREFIX = "dm:";
  private static final String GROUP_PREFIX = "g:";

  /** The longest conversation id a request may name; the servers make none longer than 132 characters. */
  public static final int MAX_LENGTH = 256;

  private ConversationIds() {}

  /**
   * A conversation id taken from a request: present and at most {@link #MAX_LENGTH} characters, or
   * INVALID_ARGUMENT (CONVERSATION_ID_REQUIRED, INVALID_CONVERSATION_ID). The store refuses an empty key or
   * one over 64 KiB, which a client must not be told to retry.
   */
  public static String fromRequest(String conversationId) {
    if (conversationId.isEmpty()) {
      throw ApiErrors.invalidArgument("CONVERSATION_ID_REQUIRED", "conversation_id is required");
    }
    if (conversationId.length() > MAX_LENGTH) {
      throw ApiErrors.invalidArgument("INVALID_CONVERSATION_ID",
          "conversation_id has more than " + MAX_LENGTH + " characters");
    }
    return conversationId;
  }

  /** The two members of a 1:1 conversation, in id order. */
  public record Pair(String first, String second) {
    public boolean contains(String userId) {
      return first.equals(userId) || second.equals(userId);
    }
  }

  /** The 1:1 conversation of two distinct, valid user ids; the same whichever order they are given in. */
  public static String direct(String userA, String userB) {
    if (!Tokens.isValidId(userA) || !Tokens.isValidId(userB) || userA.equals(userB)) {
      throw new IllegalArgumentException("a direct conversation needs two distinct valid user ids");
    }
    return userA.compareTo(userB) < 0
        ? DIRECT_PREFIX + userA + ":" + userB
        : DIRECT_PREFIX + userB + ":" + userA;
  }

  public static boolean isDirect(String conversationId) {
    return conversationId.startsWith(DIRECT_PREFIX);
  }

  public static boolean isGroup(String conversationId) {
    return conversationId.startsWith(GROUP_PREFIX);
  }

  /** DIRECT for a well-formed 1:1 id, GROUP for "g:&lt;something&gt;", UNSPECIFIED for anything else. */
  public static ConversationKind kindOf(String conversationId) {
    if (directMembers(conversationId).isPresent()) {
      return ConversationKind.CONVERSATION_KIND_DIRECT;
    }
    if (isGroup(conversationId) && conversationId.length() > GROUP_PREFIX.length()) {
      return ConversationKind.CONVERSATION_KIND_GROUP;
    }
    return ConversationKind.CONVERSATION_KIND_UNSPECIFIED;
  }

  /** The members of a well-formed 1:1 conversation id (valid ids, in order); empty for anything else. */
  public static Optional<Pair> directMembers(String conversationId) {
    if (conversationId == null || !isDirect(conversationId)) {
      return Optional.empty();
    }
    String[] parts = conversationId.substring(DIRECT_PREFIX.length()).split(":", -1);
    if (parts.length != 2
        || !Tokens.isValidId(parts[0])
        || !Tokens.isValidId(parts[1])
        || parts[0].compareTo(parts[1]) >= 0) {
      return Optional.empty();
    }
    return Optional.of(new Pair(parts[0], parts[1]));
  }

  /** The other member of a 1:1 conversation that {@code userId} belongs to; empty otherwise. */
  public static Optional<String> peerOf(String conversationId, String userId) {
    return directMembers(conversationId)
        .filter(pair -> pair.contains(userId))
        .map(pair -> pair.first().equals(userId) ? pair.second() : pair.first());
  }

  /** Shard of a conversation among {@code shards}: stable across processes and releases. */
  public static int shardOf(String conversationId, int shards) {
    int h = 0;
    for (int i = 0; i < conversationId.length(); i++) {
      h = 31 * h + conversationId.charAt(i);
    }
    return Math.floorMod(h ^ (h >>> 16), shards);
  }
}
