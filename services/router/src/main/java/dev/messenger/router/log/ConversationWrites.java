package dev.messenger.router.log;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.messenger.api.v1.ConversationKind;
import dev.messenger.common.ConversationIds;
import dev.messenger.history.store.HistoryConfig;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The write path's writes to the {@code conversations} table: a 1:1 conversation's row, the log's seal and
 * the projection's progress.
 *
 * <p>Timestamps: {@code last_seq} and {@code projected_seq} are written {@code USING TIMESTAMP <seq>} so
 * they only grow; the seal {@code USING TIMESTAMP <epoch>}, so a later owner's seal wins. The metadata of a
 * 1:1 row ({@code kind}, {@code members}, {@code created_ms}) is written with the fixed timestamp 1: it never
 * changes, so rewriting it is harmless (on a tie the larger {@code created_ms} wins, so racing creators
 * converge). Never write any of these cells with a normal (current-time) timestamp and never delete these
 * rows: that would stick or shadow them for good.
 */
final class ConversationWrites {
  private static final long FIXED_TIMESTAMP = 1;

  private final CqlSession session;
  private final HistoryConfig config;
  private final PreparedStatement insertDirect;
  private final PreparedStatement seal;
  private final PreparedStatement updateProgress;

  ConversationWrites(CqlSession session, HistoryConfig config) {
    this.session = session;
    this.config = config;
    String table = config.table("conversations");
    this.insertDirect =
        session.prepare(
            "INSERT INTO " + table + " (conversation_id, kind, members, created_ms) VALUES (?, ?, ?, ?) "
                + "USING TIMESTAMP " + FIXED_TIMESTAMP);
    this.seal =
        session.prepare(
            "UPDATE " + table + " USING TIMESTAMP ? SET sealed_epoch = ?, sealed_head = ? WHERE conversation_id = ?");
    this.updateProgress =
        session.prepare(
            "UPDATE " + table + " USING TIMESTAMP ? SET last_seq = ?, projected_seq = ? WHERE conversation_id = ?");
  }

  CompletionStage<Void> ensureDirect(String conversationId, String userA, String userB, long nowMs) {
    String expected = ConversationIds.direct(userA, userB);
    if (!expected.equals(conversationId)) {
      throw new IllegalArgumentException(conversationId + " is not the conversation of " + userA + " and " + userB);
    }
    return session
        .executeAsync(
            insertDirect
                .bind(
                    conversationId,
                    ConversationKind.CONVERSATION_KIND_DIRECT.getNumber(),
                    Set.of(userA, userB),
                    nowMs)
                .setConsistencyLevel(config.consistency())
                .setIdempotent(true))
        .thenApply(rs -> null);
  }

  /**
   * Records that the owner holding {@code epoch} loaded the log with {@code head} as its last committed seq
   * (see {@link MessageLog#seal}).
   */
  CompletionStage<Void> seal(String conversationId, long epoch, long head) {
    return session
        .executeAsync(seal.bind(epoch, epoch, head, conversationId).setConsistencyLevel(config.consistency())
            .setIdempotent(true))
        .thenApply(rs -> null);
  }

  /** The write that raises {@code last_seq} and {@code projected_seq} to {@code seq} (never lowers them). */
  BoundStatement projectedRow(String conversationId, long seq) {
    return updateProgress.bind(seq, seq, seq, conversationId);
  }
}
