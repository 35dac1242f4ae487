package dev.messenger.client;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.api.v1.Receipt;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.StreamError;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every callback, for assertions. */
final class RecordingListener implements MessengerListener {
  final List<Message> messages = new CopyOnWriteArrayList<>();
  final List<SendAck> sendAcks = new CopyOnWriteArrayList<>();
  final List<Receipt> receipts = new CopyOnWriteArrayList<>();
  final List<PresenceUpdate> presence = new CopyOnWriteArrayList<>();
  final List<StreamError> errors = new CopyOnWriteArrayList<>();
  final List<ConnectionState> states = new CopyOnWriteArrayList<>();
  final List<String> sendsWritten = new CopyOnWriteArrayList<>();

  @Override
  public void onMessage(Message message) {
    messages.add(message);
  }

  @Override
  public void onSendAck(SendAck ack) {
    sendAcks.add(ack);
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
  public void onSendWritten(String clientMessageId, long writtenAtNanos) {
    sendsWritten.add(clientMessageId);
  }

  @Override
  public void onError(StreamError error) {
    errors.add(error);
  }

  @Override
  public void onStateChanged(ConnectionState state) {
    states.add(state);
  }

  List<String> errorReasons() {
    return errors.stream().map(StreamError::getReason).toList();
  }

  List<Long> seqs(String conversationId) {
    return messages.stream()
        .filter(m -> m.getConversationId().equals(conversationId))
        .map(Message::getSeq)
        .toList();
  }
}
