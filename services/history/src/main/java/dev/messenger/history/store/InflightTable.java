package dev.messenger.history.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The {@code router_inflight} table. A mark is written {@code USING TIMESTAMP <first seq to commit>} and
 * cleared by a delete {@code USING TIMESTAMP <last seq fanned out>}: a clear removes only marks for seqs it
 * covers, so a deposed owner's late clear cannot remove the mark of the new owner, whose seqs are higher.
 * No clock decides anything. Never write or delete these rows with a normal (current-time) timestamp.
 */
final class InflightTable {
  private final CqlSession session;
  private final HistoryConfig config;
  private final PreparedStatement insert;
  private final PreparedStatement delete;
  private final PreparedStatement select;

  InflightTable(CqlSession session, HistoryConfig config) {
    this.session = session;
    this.config = config;
    String table = config.table("router_inflight");
    this.insert =
        session.prepare(
            "INSERT INTO " + table + " (shard, conversation_id, since_ms) VALUES (?, ?, ?) USING TIMESTAMP ?");
    this.delete =
        session.prepare("DELETE FROM " + table + " USING TIMESTAMP ? WHERE shard = ? AND conversation_id = ?");
    this.select =
        session.prepare(
            "SELECT conversation_id, since_ms, WRITETIME(since_ms) AS from_seq FROM " + table + " WHERE shard = ?");
  }

  CompletionStage<Void> mark(int shard, String conversationId, long fromSeq, long nowMs) {
    requirePositive(fromSeq);
    return execute(insert.bind(shard, conversationId, nowMs, fromSeq));
  }

  CompletionStage<Void> clear(int shard, String conversationId, long upToSeq) {
    requirePositive(upToSeq);
    return execute(delete.bind(upToSeq, shard, conversationId));
  }

  CompletionStage<List<Inflight>> list(int shard) {
    Statement<?> statement = select.bind(shard).setConsistencyLevel(config.consistency()).setIdempotent(true);
    return AsyncCql.allRows(session.executeAsync(statement))
        .thenApply(rows -> rows.stream()
            .map(r -> new Inflight(r.getString("conversation_id"), r.getLong("from_seq"), r.getLong("since_ms")))
            .toList());
  }

  private CompletionStage<Void> execute(Statement<?> statement) {
    return session
        .executeAsync(statement.setConsistencyLevel(config.consistency()).setIdempotent(true))
        .thenApply(rs -> null);
  }

  private static void requirePositive(long seq) {
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be at least 1: " + seq);
    }
  }
}
