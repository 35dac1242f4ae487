package dev.messenger.push.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a device stands in a conversation, as push needs it when a job falls due: its delivered cursor
 * (history's {@code device_cursors}, written by session servers), what push queued and notified for it
 * ({@code push_device_conversations}), and the user's unread counts (history's {@code user_conversations}).
 * Push's marks are max-registers written {@code USING TIMESTAMP <seq>}: they never move back.
 */
public final class DeliveryState {
  /**
   * Conversations of a user read to count the unread messages elsewhere for the badge, one page: a user in
   * more conversations gets a badge that counts the first this many (by conversation id) and the app, when
   * opened, shows the full count. Keeps a notification's cost bounded whatever the user's history.
   */
  public static final int BADGE_SCAN_LIMIT = 1000;

  private final CqlSession session;
  private final PushStoreConfig config;
  private final PreparedStatement selectDelivered;
  private final PreparedStatement selectMarks;
  private final PreparedStatement markQueued;
  private final PreparedStatement markNotified;
  private final PreparedStatement selectHere;
  private final PreparedStatement selectUnread;

  public DeliveryState(CqlSession session, PushStoreConfig config) {
    this.session = session;
    this.config = config;
    String marks = config.table("push_device_conversations");
    this.selectDelivered = session.prepare("SELECT delivered_seq FROM " + config.table("device_cursors")
        + " WHERE user_id = ? AND device_id = ? AND conversation_id = ?");
    this.selectMarks = session.prepare("SELECT queued_seq, notified_seq FROM " + marks
        + " WHERE user_id = ? AND device_id = ? AND conversation_id = ?");
    this.markQueued = session.prepare("UPDATE " + marks + " USING TIMESTAMP ? SET queued_seq = ? "
        + "WHERE user_id = ? AND device_id = ? AND conversation_id = ?");
    this.markNotified = session.prepare("UPDATE " + marks + " USING TIMESTAMP ? SET notified_seq = ? "
        + "WHERE user_id = ? AND device_id = ? AND conversation_id = ?");
    this.selectHere = session.prepare("SELECT read_seq FROM " + config.table("user_conversations")
        + " WHERE user_id = ? AND conversation_id = ?");
    this.selectUnread = session.prepare("SELECT conversation_id, last_seq, read_seq FROM "
        + config.table("user_conversations") + " WHERE user_id = ? LIMIT " + BADGE_SCAN_LIMIT);
  }

  /** Push's marks for the device in the conversation: queued and notified seq (0 when none). */
  public record Marks(long queuedSeq, long notifiedSeq) {}

  /** The user's read marker in one conversation and unread messages in all the others. */
  public record Unread(long readSeqHere, long unreadElsewhere) {}

  public CompletionStage<Long> deliveredSeq(String userId, String deviceId, String conversationId) {
    return session.executeAsync(read(selectDelivered.bind(userId, deviceId, conversationId)))
        .thenApply(rs -> longOrZero(rs.one(), 0));
  }

  public CompletionStage<Marks> marks(String userId, String deviceId, String conversationId) {
    return session.executeAsync(read(selectMarks.bind(userId, deviceId, conversationId))).thenApply(rs -> {
      Row row = rs.one();
      return new Marks(longOrZero(row, 0), longOrZero(row, 1));
    });
  }

  public CompletionStage<Void> markQueued(String userId, String deviceId, String conversationId, long seq) {
    return write(markQueued.bind(seq, seq, userId, deviceId, conversationId));
  }

  public CompletionStage<Void> markNotified(String userId, String deviceId, String conversationId, long seq) {
    return write(markNotified.bind(seq, seq, userId, deviceId, conversationId));
  }

  /**
   * The read marker in this conversation (one row) and the unread count in the user's other conversations,
   * over at most {@link #BADGE_SCAN_LIMIT} of them, in one page.
   */
  public CompletionStage<Unread> unread(String userId, String conversationId) {
    CompletableFuture<AsyncResultSet> here =
        session.executeAsync(read(selectHere.bind(userId, conversationId))).toCompletableFuture();
    CompletableFuture<AsyncResultSet> others = session.executeAsync(read(selectUnread.bind(userId)
        .setPageSize(BADGE_SCAN_LIMIT))).toCompletableFuture();
    return here.thenCombine(others, (hereRows, otherRows) -> {
      long elsewhere = 0;
      for (Row row : otherRows.currentPage()) {
        if (!conversationId.equals(row.getString(0))) {
          elsewhere += Math.max(0, longOrZero(row, 1) - longOrZero(row, 2));
        }
      }
      return new Unread(longOrZero(hereRows.one(), 0), elsewhere);
    });
  }

  private static long longOrZero(Row row, int column) {
    return row == null || row.isNull(column) ? 0L : row.getLong(column);
  }

  private Statement<?> read(Statement<?> statement) {
    return statement.setConsistencyLevel(config.consistency()).setIdempotent(true);
  }

  private CompletionStage<Void> write(Statement<?> statement) {
    return session.executeAsync(statement.setConsistencyLevel(config.consistency()).setIdempotent(true))
        .thenApply(rs -> (Void) null);
  }
}
