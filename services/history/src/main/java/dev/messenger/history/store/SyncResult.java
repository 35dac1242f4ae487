package dev.messenger.history.store;

import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Message;
import java.util.List;

/**
 * What a device is missing after its cursor: per conversation in seq order without gaps (conversations one
 * after the other), the cursor after applying them, and whether that is everything stored when the read
 * began; {@code examined} counts the conversations looked at (all of the user's, or only those changed
 * since the cursor's sync time).
 */
public record SyncResult(List<Message> messages, Cursor nextCursor, boolean complete, int examined) {
  public SyncResult {
    messages = List.copyOf(messages);
  }
}
