package dev.messenger.chat;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.api.v1.Receipt;
import dev.messenger.api.v1.ReceiptKind;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.StreamError;
import dev.messenger.api.v1.TypingUpdate;
import dev.messenger.client.ConnectionState;
import dev.messenger.client.MessengerListener;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints what the server pushes, one short line per event. Thread-safe. */
final class ChatPrinter implements MessengerListener {
  private final PrintWriter out;

  ChatPrinter(PrintWriter out) {
    this.out = requireNonNull(out, "out");
  }

  static String format(Message message) {
    return "[" + message.getConversationId() + " #" + message.getSeq() + "] "
        + message.getSenderUserId() + ": " + message.getBody();
  }

  static String format(Receipt receipt) {
    String what = receipt.getKind() == ReceiptKind.RECEIPT_KIND_READ ? "read" : "received";
    return "  (" + receipt.getUserId() + " " + what + " " + receipt.getConversationId()
        + " up to #" + receipt.getUpToSeq() + ")";
  }

  static String format(SendAck ack) {
    return "  sent [" + ack.getConversationId() + " #" + ack.getSeq() + "]"
        + (ack.getDuplicate() ? " (already stored)" : "");
  }

  static String format(StreamError error) {
    return "! " + error.getCode()
        + (error.getReason().isEmpty() ? "" : " " + error.getReason())
        + (error.getMessage().isEmpty() ? "" : ": " + error.getMessage());
  }

  static String format(PresenceUpdate presence) {
    return "  (" + presence.getUserId() + " is "
        + (presence.getState() == PresenceState.PRESENCE_STATE_ONLINE ? "online" : "offline") + ")";
  }

  synchronized void line(String text) {
    out.println(text);
    out.flush();
  }

  @Override
  public void onMessage(Message message) {
    line(format(message));
  }

  @Override
  public void onReceipt(Receipt receipt) {
    line(format(receipt));
  }

  @Override
  public void onTyping(TypingUpdate typing) {
    if (typing.getTyping()) {
      line("  (" + typing.getUserId() + " is typing in " + typing.getConversationId() + ")");
    }
  }

  @Override
  public void onPresence(PresenceUpdate presence) {
    line(format(presence));
  }

  @Override
  public void onError(StreamError error) {
    line(format(error));
  }

  @Override
  public void onStateChanged(ConnectionState state) {
    line("* " + state.name().toLowerCase(Locale.ROOT).replace('_', ' '));
  }
}
