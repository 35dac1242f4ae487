package dev.messenger.history.store;

import dev.messenger.api.v1.Message;
import java.util.List;

/** One page of a conversation in ascending seq order; {@code hasMore} when more lie beyond it in its direction. */
public record MessagePage(List<Message> messages, boolean hasMore) {
  public MessagePage {
    messages = List.copyOf(messages);
  }
}
