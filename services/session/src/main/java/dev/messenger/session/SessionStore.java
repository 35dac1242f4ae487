package dev.messenger.session;

import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Message;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** What a session server reads and writes in the history store. Implemented on CQL by {@link CqlSessionStore}. */
interface SessionStore {
  /** Messages after the cursor, per conversation in seq order, at most {@code max}. */
  CompletionStage<Batch> since(String userId, Cursor cursor, int max);

  /** Members of a conversation; empty if it does not exist. */
  CompletionStage<Optional<Set<String>>> members(String conversationId);

  /** A group as projected; empty when it was never created. */
  CompletionStage<Optional<dev.messenger.history.store.StoredGroup>> group(String conversationId);

  /** Every message of the conversation up to this seq is projected (0 when none). */
  CompletionStage<Long> projectedSeq(String conversationId);

  /** The user's last seq (as projected) and read marker of a conversation, in one row read. */
  CompletionStage<dev.messenger.history.store.ReceiptStore.ReadState> readState(String userId, String conversationId);

  CompletionStage<Void> recordDelivered(String userId, String deviceId, String conversationId, long upToSeq);

  CompletionStage<Void> recordRead(String userId, String conversationId, long upToSeq);

  /** One page of catch-up. */
  record Batch(List<Message> messages, Cursor next, boolean complete) {}
}
