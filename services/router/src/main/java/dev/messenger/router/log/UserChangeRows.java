package dev.messenger.router.log;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.history.store.UserChanges;

/**
 * The projection's entries in {@code user_changes}: the member's conversation changed, up to this seq, in
 * the hour the projection runs (so that a change projected late still lands after any sync that missed it;
 * {@link UserChanges} reads them). The seq is the write timestamp: an entry never moves back.
 */
final class UserChangeRows {
  private final PreparedStatement update;

  UserChangeRows(CqlSession session, HistoryConfig config) {
    this.update = session.prepare("UPDATE " + config.table("user_changes") + " USING TIMESTAMP ? SET last_seq = ? "
        + "WHERE user_id = ? AND hour = ? AND conversation_id = ?");
  }

  BoundStatement record(String userId, String conversationId, long lastSeq, long nowMs) {
    return update.bind(lastSeq, lastSeq, userId, UserChanges.hourOf(nowMs), conversationId);
  }
}
