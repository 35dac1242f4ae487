package dev.messenger.session;

import dev.messenger.api.v1.ConversationSummary;
import dev.messenger.api.v1.Cursor;
import dev.messenger.history.store.HistoryStore;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** The session server's {@link SessionStore} on the history module's CQL read path and receipts. */
final class CqlSessionStore implements SessionStore {
  private final HistoryStore history;

  CqlSessionStore(HistoryStore history) {
    this.history = history;
  }

  @Override
  public CompletionStage<Batch> since(String userId, Cursor cursor, int max) {
    return history.reader().since(userId, cursor, max)
        .thenApply(r -> new Batch(r.messages(), r.nextCursor(), r.complete()));
  }

  @Override
  public CompletionStage<Optional<Set<String>>> members(String conversationId) {
    return history.reader().members(conversationId);
  }

  @Override
  public CompletionStage<Optional<dev.messenger.history.store.StoredGroup>> group(String conversationId) {
    return history.reader().group(conversationId);
  }

  @Override
  public CompletionStage<Long> projectedSeq(String conversationId) {
    return history.reader().projectedSeq(conversationId);
  }

  @Override
  public CompletionStage<dev.messenger.history.store.ReceiptStore.ReadState> readState(String userId,
      String conversationId) {
    return history.receipts().readState(userId, conversationId);
  }

  @Override
  public CompletionStage<Void> recordDelivered(String userId, String deviceId, String conversationId, long upToSeq) {
    CompletionStage<Void> device = history.receipts().recordDelivered(userId, deviceId, conversationId, upToSeq);
    return device.thenCombine(history.receipts().recordMemberWatermark(conversationId, userId, false, upToSeq),
        (a, b) -> null);
  }

  @Override
  public CompletionStage<Void> recordRead(String userId, String conversationId, long upToSeq) {
    CompletionStage<Void> marker = history.receipts().recordRead(userId, conversationId, upToSeq);
    return marker.thenCombine(history.receipts().recordMemberWatermark(conversationId, userId, true, upToSeq),
        (a, b) -> null);
  }
}
