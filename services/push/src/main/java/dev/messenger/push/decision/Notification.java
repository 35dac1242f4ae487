package dev.messenger.push.decision;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What one device is shown, whatever the provider: a summary line ("3 new messages from alice"), the text of
 * the latest message only when the user allows previews, the unread count for the app badge, and the collapse
 * id under which later notifications of the same conversation replace this one on the device.
 *
 * @param collapseId at most 64 ASCII characters (APNs' limit), the same for every notification of a conversation
 * @param title the summary line, never message text
 * @param body the latest message's text, present only with previews allowed
 * @param badge unread messages of the user across conversations (at least {@code count})
 * @param count new messages of this conversation that the notification stands for
 */
public record Notification(
    String collapseId, String title, Optional<String> body, int badge, int count, String conversationId, long seq) {
  public Notification {
    requireNonNull(collapseId, "collapseId");
    requireNonNull(title, "title");
    requireNonNull(body, "body");
    requireNonNull(conversationId, "conversationId");
    if (count < 1 || badge < count) {
      throw new IllegalArgumentException("count must be positive and badge at least count");
    }
  }
}
