package dev.messenger.history.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The opaque {@code page_token} of ListConversations: the offset of the next page and the id of the last
 * conversation returned. The list is re-read for every page and may have been reordered by new messages
 * since; paging resumes after that id when it is still present, at the offset otherwise.
 */
record PageToken(int offset, String lastConversationId) {
  private static final String VERSION = "1";
  private static final int MAX_TOKEN_CHARS = 1024;

  PageToken {
    if (offset < 0) {
      throw new IllegalArgumentException("negative offset");
    }
    if (lastConversationId == null || lastConversationId.isEmpty()) {
      throw new IllegalArgumentException("missing conversation id");
    }
  }

  String encode() {
    String plain = VERSION + ":" + offset + ":" + lastConversationId;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses a token made by {@link #encode}; IllegalArgumentException for anything else. */
  static PageToken decode(String token) {
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new IllegalArgumentException("token too long");
    }
    String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    String[] parts = plain.split(":", 3);
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      throw new IllegalArgumentException("not a page token");
    }
    return new PageToken(Integer.parseInt(parts[1]), parts[2]);
  }

  /** Index in {@code ids} where the page after this token starts. */
  int resumeIndex(List<String> ids) {
    int last = ids.indexOf(lastConversationId);
    return last >= 0 ? last + 1 : Math.min(offset, ids.size());
  }
}
