package dev.messenger.presence.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.cql.AsyncRows;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contacts read from history's {@code user_conversations} table (one partition per user): the peers of the
 * user's 1:1 conversations, at most {@code maxContacts}. The table is history's; until it exists every user
 * has no contacts.
 */
public final class CqlContactDirectory implements ContactDirectory {
  private static final Logger log = LoggerFactory.getLogger(CqlContactDirectory.class);
  private static final long WARN_EVERY_NANOS = 60_000_000_000L;

  private final CqlSession session;
  private final SimpleStatement query;
  private final int maxContacts;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
  private volatile PreparedStatement prepared;

  public CqlContactDirectory(CqlSession session, PresenceStoreConfig config, int maxContacts) {
    this.session = session;
    this.query = SimpleStatement.newInstance(
            "SELECT conversation_id, peer_user_id FROM " + config.table("user_conversations") + " WHERE user_id = ?")
        .setConsistencyLevel(config.consistency())
        .setIdempotent(true);
    this.maxContacts = maxContacts;
  }

  @Override
  public CompletionStage<Set<String>> contactsOf(String userId) {
    Set<String> contacts = new LinkedHashSet<>();
    return statement()
        .thenCompose(statement -> AsyncRows.forEach(session.executeAsync(statement.bind(userId)), row -> {
          String peer = peerOf(userId, row);
          if (peer != null) {
            contacts.add(peer);
          }
          return contacts.size() < maxContacts;
        }))
        .handle((v, error) -> {
          if (error != null) {
            warn(error);
            return Set.of();
          }
          return contacts;
        });
  }

  private static String peerOf(String userId, Row row) {
    String conversationId = row.getString("conversation_id");
    if (conversationId == null || !ConversationIds.isDirect(conversationId)) {
      return null;
    }
    String peer = row.getString("peer_user_id");
    if (peer != null && !peer.isEmpty()) {
      return peer.equals(userId) ? null : peer;
    }
    return ConversationIds.peerOf(conversationId, userId).orElse(null);
  }

  private CompletionStage<PreparedStatement> statement() {
    PreparedStatement current = prepared;
    if (current != null) {
      return CompletableFuture.completedFuture(current);
    }
    return session.prepareAsync(query).thenApply(statement -> {
      prepared = statement;
      return statement;
    });
  }

  private void warn(Throwable error) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      log.warn("contacts unavailable (is history's user_conversations table there?): {}", error.toString());
    }
  }
}
