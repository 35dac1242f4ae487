package dev.messenger.systemtests.messaging;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.api.v1.Receipt;
import dev.messenger.api.v1.ReceiptKind;
import dev.messenger.api.v1.StreamError;
import dev.messenger.client.MessengerListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what one device's client library handed to the app, in order. */
final class DeviceRecorder implements MessengerListener {
  final String name;
  final List<Message> messages = new CopyOnWriteArrayList<>();
  final List<Receipt> receipts = new CopyOnWriteArrayList<>();
  final List<StreamError> errors = new CopyOnWriteArrayList<>();
  final List<PresenceUpdate> presence = new CopyOnWriteArrayList<>();

  DeviceRecorder(String name) {
    this.name = name;
  }

  @Override
  public void onMessage(Message message) {
    messages.add(message);
  }

  @Override
  public void onReceipt(Receipt receipt) {
    receipts.add(receipt);
  }

  @Override
  public void onPresence(PresenceUpdate update) {
    presence.add(update);
  }

  @Override
  public void onError(StreamError error) {
    errors.add(error);
  }

  List<Message> in(String conversationId) {
    List<Message> out = new ArrayList<>();
    for (Message m : messages) {
      if (m.getConversationId().equals(conversationId)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Highest up_to_seq of receipts of a kind from a user. */
  long receiptUpTo(String fromUser, ReceiptKind kind) {
    return receipts.stream()
        .filter(r -> r.getUserId().equals(fromUser) && r.getKind() == kind)
        .mapToLong(Receipt::getUpToSeq)
        .max()
        .orElse(0);
  }
}
