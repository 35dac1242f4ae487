package dev.messenger.router.log;

import dev.messenger.history.store.AsyncCql;
import dev.messenger.history.store.HistoryConfig;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The {@code projection_marks} table: which conversations of a shard may have committed messages that are
 * not projected yet, per hour. Insert-only, expired by the table's TTL: no row is ever deleted, so a
 * takeover that reads the last two hours of a shard never scans tombstones, however many busy periods the
 * shard had. An owner marks a conversation before its first commit in an hour, and marks again in the new
 * hour whatever is still unprojected.
 */
final class ProjectionMarkTable {
  private final CqlSession session;
  private final HistoryConfig config;
  private final PreparedStatement insert;
  private final PreparedStatement select;

  ProjectionMarkTable(CqlSession session, HistoryConfig config) {
    this.session = session;
    this.config = config;
    String table = config.table("projection_marks");
    this.insert = session.prepare("INSERT INTO " + table + " (shard, hour, conversation_id) VALUES (?, ?, ?)");
    this.select = session.prepare("SELECT conversation_id FROM " + table + " WHERE shard = ? AND hour = ?");
  }

  CompletionStage<Void> mark(int shard, long hour, String conversationId) {
    Statement<?> statement =
        insert.bind(shard, hour, conversationId).setConsistencyLevel(config.consistency()).setIdempotent(true);
    return session.executeAsync(statement).thenApply(rs -> null);
  }

  CompletionStage<List<String>> list(int shard, long hour) {
    Statement<?> statement = select.bind(shard, hour).setConsistencyLevel(config.consistency()).setIdempotent(true);
    return AsyncCql.allRows(session.executeAsync(statement))
        .thenApply(rows -> rows.stream().map(r -> r.getString("conversation_id")).toList());
  }
}
