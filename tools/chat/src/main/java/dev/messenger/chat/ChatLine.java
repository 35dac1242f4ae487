package dev.messenger.chat;

import static java.util.Objects.requireNonNull;

/** One line typed by the user, parsed by {@link ChatLineParser}. */
sealed interface ChatLine {
  /** {@code @bob hello there}: send in the 1:1 conversation with a user. */
  record SendToUser(String userId, String body) implements ChatLine {
    public SendToUser {
      requireNonNull(userId, "userId");
      requireNonNull(body, "body");
    }
  }

  /** {@code #dm:alice:bob hello}: send in an existing conversation. */
  record SendToConversation(String conversationId, String body) implements ChatLine {
    public SendToConversation {
      requireNonNull(conversationId, "conversationId");
      requireNonNull(body, "body");
    }
  }

  /** {@code /read dm:alice:bob 12}: mark read up to a seq. */
  record Read(String conversationId, long upToSeq) implements ChatLine {
    public Read {
      requireNonNull(conversationId, "conversationId");
    }
  }

  /** {@code /group team bob carol}: create a group (one-word title) with these members besides oneself. */
  record CreateGroup(String title, java.util.List<String> members) implements ChatLine {
    public CreateGroup {
      requireNonNull(title, "title");
      members = java.util.List.copyOf(members);
    }
  }

  /** {@code /add g:1234 dave}: add members to a group. */
  record AddMembers(String conversationId, java.util.List<String> members) implements ChatLine {
    public AddMembers {
      requireNonNull(conversationId, "conversationId");
      members = java.util.List.copyOf(members);
    }
  }

  /** {@code /leave g:1234}: leave a group. */
  record Leave(String conversationId) implements ChatLine {
    public Leave {
      requireNonNull(conversationId, "conversationId");
    }
  }

  /** {@code /quit}. */
  record Quit() implements ChatLine {}

  /** {@code /help}. */
  record Help() implements ChatLine {}

  /** A blank line: nothing to do. */
  record Blank() implements ChatLine {}

  /** Anything else, with what to tell the user. */
  record Invalid(String problem) implements ChatLine {
    public Invalid {
      requireNonNull(problem, "problem");
    }
  }
}
