package dev.messenger.history.store;

import dev.messenger.common.ConversationIds;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.messenger.api.v1.ConversationKind;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Reads the {@code conversations} table: one row per conversation with its members, the log's seal and two
 * max-registers ({@code last_seq}, {@code projected_seq}). The router's write path writes it
 * ({@code dev.messenger.router.log.ConversationWrites}).
 */
public final class ConversationTable {
  private final CqlSession session;
  private final HistoryConfig config;
  private final PreparedStatement select;

  public ConversationTable(CqlSession session, HistoryConfig config) {
    this.session = session;
    this.config = config;
    String table = config.table("conversations");
    this.select =
        session.prepare(
            "SELECT kind, members, title, created_ms, last_seq, projected_seq, sealed_epoch, sealed_head FROM "
                + table + " WHERE conversation_id = ?");
  }

  /** The conversation's row; empty when it is unknown. */
  public CompletionStage<Optional<ConversationInfo>> find(String conversationId) {
    return session
        .executeAsync(select.bind(conversationId).setConsistencyLevel(config.consistency()).setIdempotent(true))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> toInfo(conversationId, row)));
  }

  /** The members, or empty when the conversation is unknown (no row, or no members recorded). */
  public CompletionStage<Optional<Set<String>>> members(String conversationId) {
    return find(conversationId)
        .thenApply(info -> info.map(ConversationInfo::members).filter(m -> !m.isEmpty()));
  }

  private static ConversationInfo toInfo(String conversationId, Row row) {
    ConversationKind kind = row.isNull("kind") ? null : ConversationKind.forNumber(row.getInt("kind"));
    return new ConversationInfo(
        conversationId,
        kind == null ? ConversationIds.kindOf(conversationId) : kind,
        row.getSet("members", String.class),
        row.getString("title"),
        row.getLong("created_ms"),
        row.getLong("last_seq"),
        row.getLong("projected_seq"),
        row.getLong("sealed_epoch"),
        row.getLong("sealed_head"));
  }
}
