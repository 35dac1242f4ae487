package dev.messenger.chat;

import java.util.Optional;

/** Turns a typed line into a {@link ChatLine}. Pure, no I/O. */
final class ChatLineParser {
  static final String USAGE = String.join(System.lineSeparator(),
      "  @<user> <text>            send to a user (1:1 conversation)",
      "  #<conversation_id> <text> send to a conversation",
      "  /read <conversation_id> <seq>  mark read up to seq",
      "  /group <title> <user>...  create a group (one-word title) with these members",
      "  /add <group_id> <user>... add members to a group",
      "  /leave <group_id>         leave a group",
      "  /help                     this text",
      "  /quit                     leave");

  private ChatLineParser() {}

  static ChatLine parse(String line) {
    String trimmed = line == null ? "" : line.strip();
    if (trimmed.isEmpty()) {
      return new ChatLine.Blank();
    }
    return switch (trimmed.charAt(0)) {
      case '@' -> addressed(trimmed, "@user")
          .map(parts -> (ChatLine) new ChatLine.SendToUser(parts[0], parts[1]))
          .orElseGet(() -> new ChatLine.Invalid("usage: @<user> <text>"));
      case '#' -> addressed(trimmed, "#conversation")
          .map(parts -> (ChatLine) new ChatLine.SendToConversation(parts[0], parts[1]))
          .orElseGet(() -> new ChatLine.Invalid("usage: #<conversation_id> <text>"));
      case '/' -> command(trimmed);
      default -> new ChatLine.Invalid("start a line with @user, #conversation or /command (try /help)");
    };
  }

  /** Splits "@name rest of text" into {name, text}; empty when either part is missing. */
  private static Optional<String[]> addressed(String line, String what) {
    int space = indexOfWhitespace(line);
    if (space < 0) {
      return Optional.empty();
    }
    String name = line.substring(1, space);
    String body = line.substring(space + 1).strip();
    if (name.isEmpty() || body.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new String[] {name, body});
  }

  private static ChatLine command(String line) {
    String[] words = line.split("\\s+");
    switch (words[0]) {
      case "/quit", "/exit" -> {
        return new ChatLine.Quit();
      }
      case "/help" -> {
        return new ChatLine.Help();
      }
      case "/read" -> {
        if (words.length != 3) {
          return new ChatLine.Invalid("usage: /read <conversation_id> <seq>");
        }
        try {
          long seq = Long.parseLong(words[2]);
          if (seq < 1) {
            return new ChatLine.Invalid("seq must be at least 1");
          }
          return new ChatLine.Read(words[1], seq);
        } catch (NumberFormatException e) {
          return new ChatLine.Invalid("seq must be a number: " + words[2]);
        }
      }
      case "/group" -> {
        return words.length < 3
            ? new ChatLine.Invalid("usage: /group <title> <user>...")
            : new ChatLine.CreateGroup(words[1], java.util.Arrays.asList(words).subList(2, words.length));
      }
      case "/add" -> {
        return words.length < 3
            ? new ChatLine.Invalid("usage: /add <group_id> <user>...")
            : new ChatLine.AddMembers(words[1], java.util.Arrays.asList(words).subList(2, words.length));
      }
      case "/leave" -> {
        return words.length != 2 ? new ChatLine.Invalid("usage: /leave <group_id>") : new ChatLine.Leave(words[1]);
      }
      default -> {
        return new ChatLine.Invalid("unknown command " + words[0] + " (try /help)");
      }
    }
  }

  private static int indexOfWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
