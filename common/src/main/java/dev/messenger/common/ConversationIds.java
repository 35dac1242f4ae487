package dev.messenger.common;

import dev.messenger.common.auth.Tokens;

/** Conversation ids: "dm:&lt;smaller user id&gt;:&lt;larger user id&gt;" for 1:1, "g:&lt;id&gt;" for groups. */
public final class ConversationIds {
  private static final String DIRECT_PREFIX = "dm:";
  private static final String GROUP_PREFIX = "g:";

  private ConversationIds() {}

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

  /** The two members of a 1:1 conversation id; IllegalArgumentException if it is not a valid one. */
  public static String[] directMembers(String conversationId) {
    if (!isDirect(conversationId)) {
      throw new IllegalArgumentException("not a direct conversation: " + conversationId);
    }
    String[] parts = conversationId.substring(DIRECT_PREFIX.length()).split(":", -1);
    if (parts.length != 2
        || !Tokens.isValidId(parts[0])
        || !Tokens.isValidId(parts[1])
        || parts[0].compareTo(parts[1]) >= 0) {
      throw new IllegalArgumentException("malformed direct conversation id: " + conversationId);
    }
    return parts;
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
