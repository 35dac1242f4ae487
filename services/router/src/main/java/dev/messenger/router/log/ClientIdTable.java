package dev.messenger.router.log;

import dev.messenger.history.store.HistoryConfig;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import dev.messenger.api.v1.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The {@code client_message_ids} table: what a sender's client message id was stored as. Plain, idempotent writes. */
final class ClientIdTable {
  private final CqlSession session;
  private final HistoryConfig config;
  private final PreparedStatement insert;
  private final PreparedStatement select;

  ClientIdTable(CqlSession session, HistoryConfig config) {
    this.session = session;
    this.config = config;
    String table = config.table("client_message_ids");
    this.insert =
        session.prepare(
            "INSERT INTO " + table + " (conversation_id, sender_user_id, client_message_id, seq, message_id, "
                + "server_time_ms) VALUES (?, ?, ?, ?, ?, ?)");
    this.select =
        session.prepare(
            "SELECT seq, message_id, server_time_ms FROM " + table
                + " WHERE conversation_id = ? AND sender_user_id = ? AND client_message_id = ?");
  }

  /** The rows recording the client ids of {@code messages} (all of one conversation), each its own partition. */
  List<BoundStatement> rows(String conversationId, List<Message> messages) {
    List<BoundStatement> rows = new ArrayList<>();
    for (Message m : messages) {
      if (!m.getConversationId().equals(conversationId)) {
        throw new IllegalArgumentException("message of " + m.getConversationId() + " in " + conversationId);
      }
      if (!m.getClientMessageId().isEmpty()) {
        rows.add(insert.bind(conversationId, m.getSenderUserId(), m.getClientMessageId(), m.getSeq(),
            m.getMessageId(), m.getServerTimeMs()));
      }
    }
    return rows;
  }

  CompletionStage<Optional<StoredSend>> find(String conversationId, String senderUserId, String clientMessageId) {
    Statement<?> statement =
        select
            .bind(conversationId, senderUserId, clientMessageId)
            .setConsistencyLevel(config.consistency())
            .setIdempotent(true);
    return session
        .executeAsync(statement)
        .thenApply(rs -> Optional.ofNullable(rs.one())
            .map(row -> new StoredSend(conversationId, senderUserId, clientMessageId, row.getLong("seq"),
                row.getString("message_id"), row.getLong("server_time_ms"))));
  }
}
