package dev.messenger.loadgen.run;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.StreamError;
import dev.messenger.client.ConnectionState;
import dev.messenger.client.MessengerClient;
import dev.messenger.client.MessengerListener;
import dev.messenger.common.ConversationIds;
import java.util.Optional;

/**
 * One simulated device: its identity, its client, and the listener that checks every delivery against
 * the ledger. Listener callbacks of one client run one at a time, so the plain fields touched only there
 * need no locking; what other threads read is volatile.
 */
final class SimDevice implements MessengerListener {
  private final int index;
  private final SimUser user;
  private final String deviceId;
  private final RunBooks books;
  private MessengerClient client;
  private volatile boolean live;
  private volatile boolean caughtUpOnce;
  private boolean upBefore;

  SimDevice(int index, SimUser user, String deviceId, RunBooks books) {
    this.index = index;
    this.user = user;
    this.deviceId = deviceId;
    this.books = books;
  }

  int index() {
    return index;
  }

  SimUser user() {
    return user;
  }

  String deviceId() {
    return deviceId;
  }

  void attach(MessengerClient client) {
    this.client = client;
  }

  MessengerClient client() {
    return client;
  }

  /** True once the device has connected and caught up at least once. */
  boolean caughtUpOnce() {
    return caughtUpOnce;
  }

  @Override
  public void onMessage(Message message) {
    if (message.getKind() == dev.messenger.api.v1.MessageKind.MESSAGE_KIND_SYSTEM) {
      return; // a group change (the group's creation): not traffic of the run
    }
    long now = books.now();
    Optional<MessageHeader> parsed = MessageHeader.parse(message.getBody());
    Optional<ConversationLedger> conversation = books.ledger().find(message.getConversationId());
    if (parsed.isEmpty() || !parsed.get().runId().equals(books.runId()) || conversation.isEmpty()) {
      books.counters().foreignOutsideLedger.increment();
      return;
    }
    MessageHeader header = parsed.get();
    ConversationLedger ledger = conversation.get();
    ConversationLedger.Verdict verdict = ledger.delivered(
        ledger.slotOf(index), ledger.slotOf(header.senderDevice()), header.senderSeq(), message.getSeq());
    switch (verdict) {
      case FIRST, FIRST_AT_LAST_PARTICIPANT -> {
        books.counters().firstDeliveries.increment();
        if (books.inWindow(now)) {
          books.counters().deliveredInWindow.increment();
        }
        boolean group = ConversationIds.isGroup(message.getConversationId());
        boolean scheduledInWindow = books.inWindow(header.scheduledNanos());
        books.latency().delivery(now - header.scheduledNanos(), scheduledInWindow, group,
            books.refusedSends().contains(message.getClientMessageId()),
            books.sinceWritten(message.getClientMessageId(), now));
        if (verdict == ConversationLedger.Verdict.FIRST_AT_LAST_PARTICIPANT) {
          books.deliveredToAll(message.getClientMessageId());
        }
        if (group && verdict == ConversationLedger.Verdict.FIRST_AT_LAST_PARTICIPANT) {
          books.latency().groupCompleted(now - header.scheduledNanos(), scheduledInWindow);
        }
      }
      case DUPLICATE -> books.counters().duplicates.increment();
      case FOREIGN -> { }
    }
  }

  @Override
  public void onSendWritten(String clientMessageId, long writtenAtNanos) {
    books.written(clientMessageId);
  }

  @Override
  public void onError(StreamError error) {
    books.errors().record(error);
    if (!error.getClientMessageId().isEmpty()) {
      books.refusedSends().add(error.getClientMessageId());
    }
  }

  @Override
  public void onStateChanged(ConnectionState state) {
    boolean up = state == ConnectionState.CONNECTED || state == ConnectionState.CAUGHT_UP;
    if (up && !live) {
      live = true;
      books.counters().streamUp();
      if (upBefore) {
        books.counters().reconnects.increment();
      }
      upBefore = true;
    } else if (!up && live) {
      live = false;
      books.counters().streamDown();
    }
    if (state == ConnectionState.CAUGHT_UP) {
      if (caughtUpOnce) {
        books.counters().catchUps.increment();
      } else {
        caughtUpOnce = true;
        books.counters().caughtUp.incrementAndGet();
      }
    }
  }
}
