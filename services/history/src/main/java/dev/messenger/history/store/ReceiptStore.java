package dev.messenger.history.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Delivered cursors (per device and conversation, {@code device_cursors.delivered_seq}) and read markers
 * (per user and conversation, {@code user_conversations.read_seq}). Both are max-registers: written
 * {@code USING TIMESTAMP <seq>}, so a late or repeated write of a lower seq never moves them back. Never write
 * these cells with a normal (current-time) timestamp, and never delete these rows: they would be stuck.
 * Callers bound {@code upToSeq} by the conversation's head: a marker set too high cannot be lowered.
 */
public final class ReceiptStore {
  private static final int ROW_BYTES = 160;
  private final CqlSession session;
  private final HistoryConfig config;
  private final HistoryMetrics metrics;
  private final PreparedStatement updateDelivered;
  private final PreparedStatement updateRead;
  private final PreparedStatement selectDelivered;
  private final PreparedStatement selectReadState;
  private final PreparedStatement updateGroupDelivered;
  private final PreparedStatement updateGroupRead;
  private final PreparedStatement selectGroup;
  // Receipts of many devices share requests: a round gathers for RECEIPT_LINGER, then one at a time. Delivered
  // and read receipts reach other members only once written, so they are that much later; messages are not.
  static final Duration RECEIPT_LINGER = Duration.ofMillis(20);
  private final SharedRounds rounds;

  public ReceiptStore(CqlSession session, HistoryConfig config, HistoryMetrics metrics) {
    this.session = session;
    this.config = config;
    this.metrics = metrics;
    this.rounds = new SharedRounds(1, RECEIPT_LINGER,
        rows -> RowBatches.send(session, config.consistency(), RowBatches.pack(rows), request -> { }));
    String cursors = config.table("device_cursors");
    String userConversations = config.table("user_conversations");
    this.updateDelivered =
        session.prepare(
            "UPDATE " + cursors + " USING TIMESTAMP ? SET delivered_seq = ? "
                + "WHERE user_id = ? AND device_id = ? AND conversation_id = ?");
    this.updateRead =
        session.prepare(
            "UPDATE " + userConversations + " USING TIMESTAMP ? SET read_seq = ? WHERE user_id = ? AND conversation_id = ?");
    this.selectDelivered =
        session.prepare("SELECT device_id, conversation_id, delivered_seq FROM " + cursors + " WHERE user_id = ?");
    this.selectReadState = session.prepare("SELECT last_seq, read_seq FROM " + userConversations
        + " WHERE user_id = ? AND conversation_id = ?");
    String groupReceipts = config.table("group_receipts");
    this.updateGroupDelivered = session.prepare("UPDATE " + groupReceipts
        + " USING TIMESTAMP ? SET delivered_seq = ? WHERE conversation_id = ? AND user_id = ?");
    this.updateGroupRead = session.prepare("UPDATE " + groupReceipts
        + " USING TIMESTAMP ? SET read_seq = ? WHERE conversation_id = ? AND user_id = ?");
    this.selectGroup = session.prepare(
        "SELECT user_id, delivered_seq, read_seq FROM " + groupReceipts + " WHERE conversation_id = ?");
  }

  /**
   * Raises a member's watermarks in the conversation's own partition ({@code group_receipts}, 1:1 and groups
   * alike): delivered up to (any device) and read up to. One write per recorded ack or marker, in the same
   * round as the cursor or marker it goes with; {@link #memberWatermarks} reads them all at once.
   */
  public CompletionStage<Void> recordMemberWatermark(String conversationId, String userId, boolean read, long upToSeq) {
    if (upToSeq == 0) {
      return CompletableFuture.completedFuture(null);
    }
    requirePositive(upToSeq);
    return write("group_receipts",
        (read ? updateGroupRead : updateGroupDelivered).bind(upToSeq, upToSeq, conversationId, userId));
  }

  /** Every member's watermarks of a conversation: user id to {delivered up to, read up to}. */
  public CompletionStage<Map<String, long[]>> memberWatermarks(String conversationId) {
    Statement<?> statement = selectGroup.bind(conversationId).setConsistencyLevel(config.consistency())
        .setIdempotent(true);
    return metrics.read("group_receipts", () -> AsyncCql.allRows(session.executeAsync(statement)).thenApply(rows -> {
      Map<String, long[]> byUser = new TreeMap<>();
      for (Row row : rows) {
        byUser.put(row.getString("user_id"), new long[] {row.getLong("delivered_seq"), row.getLong("read_seq")});
      }
      return byUser;
    }));
  }

  /** Raises the device's delivered cursor in a conversation to {@code upToSeq}; never lowers it. 0 is a no-op. */
  public CompletionStage<Void> recordDelivered(String userId, String deviceId, String conversationId, long upToSeq) {
    if (upToSeq == 0) {
      return CompletableFuture.completedFuture(null);
    }
    requirePositive(upToSeq);
    return write("device_cursors", updateDelivered.bind(upToSeq, upToSeq, userId, deviceId, conversationId));
  }

  /** Raises the user's read marker in a conversation to {@code upToSeq}; never lowers it. 0 is a no-op. */
  public CompletionStage<Void> recordRead(String userId, String conversationId, long upToSeq) {
    if (upToSeq == 0) {
      return CompletableFuture.completedFuture(null);
    }
    requirePositive(upToSeq);
    return write("user_conversations", updateRead.bind(upToSeq, upToSeq, userId, conversationId));
  }

  /** Every delivered cursor of the user: device id to conversation id to delivered seq. */
  public CompletionStage<Map<String, Map<String, Long>>> deliveredCursors(String userId) {
    Statement<?> statement = selectDelivered.bind(userId).setConsistencyLevel(config.consistency()).setIdempotent(true);
    return metrics.read(
        "delivered",
        () ->
            AsyncCql.allRows(session.executeAsync(statement))
                .thenApply(rows -> {
                  Map<String, Map<String, Long>> byDevice = new TreeMap<>();
                  for (Row row : rows) {
                    byDevice
                        .computeIfAbsent(row.getString("device_id"), d -> new TreeMap<>())
                        .put(row.getString("conversation_id"), row.getLong("delivered_seq"));
                  }
                  return byDevice;
                }));
  }

  /** The user's read marker in a conversation; 0 when never set. */
  public CompletionStage<Long> readSeq(String userId, String conversationId) {
    return readState(userId, conversationId).thenApply(ReadState::readSeq);
  }

  /**
   * The user's row of a conversation in one read: its last seq as projected and the read marker (both 0 when
   * the row does not exist yet).
   */
  public CompletionStage<ReadState> readState(String userId, String conversationId) {
    Statement<?> statement =
        selectReadState.bind(userId, conversationId).setConsistencyLevel(config.consistency()).setIdempotent(true);
    return metrics.read("read_state", () -> session.executeAsync(statement).thenApply(rs -> {
      Row row = rs.one();
      return row == null ? new ReadState(0, 0) : new ReadState(row.getLong("last_seq"), row.getLong("read_seq"));
    }));
  }

  /** A user's view of one conversation: the last seq projected into their history, and how far they read. */
  public record ReadState(long lastSeq, long readSeq) {}

  private CompletionStage<Void> write(String table, BoundStatement row) {
    return metrics.write("receipt", () -> rounds.write(List.of(RowBatches.Rows.of(table, row, ROW_BYTES))));
  }

  private static void requirePositive(long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative: " + seq);
    }
  }
}
