package dev.messenger.push.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.concurrent.CompletionStage;

/** What users choose about their notifications: muted conversations ({@code push_mutes}) and previews. */
public final class PushSettings {
  /** The stored expiry of a mute without end. */
  public static final long FOREVER = Long.MAX_VALUE;

  private final CqlSession session;
  private final PushStoreConfig config;
  private final PreparedStatement setMute;
  private final PreparedStatement unmute;
  private final PreparedStatement selectMute;
  private final PreparedStatement setPreviews;
  private final PreparedStatement selectPreviews;

  public PushSettings(CqlSession session, PushStoreConfig config) {
    this.session = session;
    this.config = config;
    String mutes = config.table("push_mutes");
    String preferences = config.table("push_preferences");
    this.setMute = session.prepare(
        "UPDATE " + mutes + " SET muted_until_ms = ? WHERE user_id = ? AND conversation_id = ?");
    this.unmute = session.prepare("DELETE FROM " + mutes + " WHERE user_id = ? AND conversation_id = ?");
    this.selectMute = session.prepare(
        "SELECT muted_until_ms FROM " + mutes + " WHERE user_id = ? AND conversation_id = ?");
    this.setPreviews = session.prepare("UPDATE " + preferences + " SET show_previews = ? WHERE user_id = ?");
    this.selectPreviews = session.prepare("SELECT show_previews FROM " + preferences + " WHERE user_id = ?");
  }

  /** Mutes the conversation for the user until {@code untilMs} ({@link #FOREVER} for no end); 0 unmutes. */
  public CompletionStage<Void> setMute(String userId, String conversationId, long untilMs) {
    return write(untilMs == 0 ? unmute.bind(userId, conversationId) : setMute.bind(untilMs, userId, conversationId));
  }

  /** Until when the conversation is muted for the user; 0 if it is not. */
  public CompletionStage<Long> mutedUntil(String userId, String conversationId) {
    return session.executeAsync(read(selectMute.bind(userId, conversationId))).thenApply(rs -> {
      Row row = rs.one();
      return row == null || row.isNull(0) ? 0L : row.getLong(0);
    });
  }

  public CompletionStage<Void> setShowPreviews(String userId, boolean showPreviews) {
    return write(setPreviews.bind(showPreviews, userId));
  }

  /** Whether the user allows message text in notifications; false unless they said so. */
  public CompletionStage<Boolean> showPreviews(String userId) {
    return session.executeAsync(read(selectPreviews.bind(userId))).thenApply(rs -> {
      Row row = rs.one();
      return row != null && !row.isNull(0) && row.getBoolean(0);
    });
  }

  private Statement<?> read(Statement<?> statement) {
    return statement.setConsistencyLevel(config.consistency()).setIdempotent(true);
  }

  private CompletionStage<Void> write(Statement<?> statement) {
    return session.executeAsync(statement.setConsistencyLevel(config.consistency()).setIdempotent(true))
        .thenApply(rs -> (Void) null);
  }
}
