package dev.messenger.router.log;

import dev.messenger.common.ConversationIds;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.Message;
import dev.messenger.history.store.Buckets;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.history.store.HistoryMetrics;
import dev.messenger.history.store.MessageRows;
import dev.messenger.history.store.RowBatches;
import dev.messenger.history.store.SharedRounds;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Applies committed messages of one conversation to what readers use: the senders' client ids (for retried
 * sends), every member's copy ({@code user_messages}), then every member's {@code user_conversations} row
 * and {@code user_changes} entry, then the conversation's checkpoint {@code projected_seq}. Every write is idempotent, so a projection can be
 * redone after any failure; the checkpoint is written last, so it never claims what is not applied.
 *
 * <p>Ordering: every copy is written before any {@code last_seq}, so a reader that bounds its reads by
 * {@code last_seq} never sees a hole in the member's copies. Within a step, rows of several partitions share
 * requests ({@link RowBatches}): no order between them is needed.
 *
 * <p>Timestamps: {@code kind}, {@code peer_user_id}, {@code last_seq}, {@code last_message} and
 * {@code last_time_ms} are written {@code USING TIMESTAMP <last seq>} and {@code read_seq} {@code USING TIMESTAMP <read seq>}, so neither ever
 * moves backwards, whatever order writes land in. Never write these cells with a normal (current-time)
 * timestamp and never delete these rows: the row would be stuck for good.
 */
final class ProjectionWriter {
  /** {@code last_message} keeps at most this many code points of the body: it is a preview for the list. */
  static final int PREVIEW_CODE_POINTS = 1000;
  /** Rounds of one step in flight at once: two, so that one slow round does not hold every conversation up. */
  static final int ROUNDS = 2;
  /**
   * Nobody waits for a projection but History's readers and a device catching up, so its first step gathers
   * the copies of other conversations for 15 ms before a round starts (at 100 msg/s a round otherwise carried
   * one message: three store requests each). The later steps of the callers of one round start together, and
   * 2 ms is enough to keep them in one round too.
   */
  static final Duration FIRST_STEP_LINGER = Duration.ofMillis(15);
  static final Duration NEXT_STEP_LINGER = Duration.ofMillis(2);
  /** What a row costs beyond its message: keys, column names, timestamps (an estimate for batch sizes). */
  private static final int KEY_BYTES = 160;

  private final CqlSession session;
  private final HistoryConfig config;
  private final HistoryMetrics metrics;
  private final ConversationWrites conversations;
  private final ClientIdTable clientIds;
  private final UserChangeRows changes;
  private final java.time.Clock clock;
  private final PreparedStatement insertCopy;
  private final PreparedStatement updateLast;
  private final PreparedStatement updateRead;
  // One per step, so that a step's rows never wait behind another step's round of the same projection.
  private final SharedRounds copyRounds = new SharedRounds(ROUNDS, FIRST_STEP_LINGER, this::write);
  private final SharedRounds rowRounds = new SharedRounds(ROUNDS, NEXT_STEP_LINGER, this::write);
  private final SharedRounds checkpointRounds = new SharedRounds(ROUNDS, NEXT_STEP_LINGER, this::write);

  ProjectionWriter(CqlSession session, HistoryConfig config, HistoryMetrics metrics, ConversationWrites conversations,
      ClientIdTable clientIds, UserChangeRows changes, java.time.Clock clock) {
    this.session = session;
    this.config = config;
    this.metrics = metrics;
    this.conversations = conversations;
    this.clientIds = clientIds;
    this.changes = changes;
    this.clock = clock;
    this.insertCopy =
        session.prepare(
            "INSERT INTO " + config.table("user_messages") + " (user_id, conversation_id, bucket, seq, "
                + MessageRows.VALUE_COLUMNS + ") VALUES (:user_id, :conversation_id, :bucket, :seq, "
                + MessageRows.VALUE_MARKERS + ")");
    String userConversations = config.table("user_conversations");
    this.updateLast =
        session.prepare(
            "UPDATE " + userConversations + " USING TIMESTAMP :ts SET kind = :kind, peer_user_id = :peer, "
                + "last_seq = :last_seq, last_message = :last_message, last_time_ms = :last_time_ms "
                + "WHERE user_id = :user_id AND conversation_id = :conversation_id");
    this.updateRead =
        session.prepare(
            "UPDATE " + userConversations + " USING TIMESTAMP ? SET read_seq = ? WHERE user_id = ? AND conversation_id = ?");
  }

  /**
   * Writes client ids and every member's copies, then every member's conversation row and change entry, then
   * raises the checkpoint; each step packed into few requests ({@link RowBatches}), shared with the same step
   * of other conversations' projections while the store is busy ({@link SharedRounds}).
   */
  CompletionStage<Void> apply(Collection<String> members, List<Message> messages) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("nothing to project");
    }
    String conversationId = messages.get(0).getConversationId();
    requireAscending(conversationId, messages);
    List<List<Message>> chunks = CommitBatches.chunks(messages, CommitBatches.MAX_BATCH_BYTES);
    Message last = messages.get(messages.size() - 1);
    Map<String, Long> sentUpTo = new HashMap<>();
    for (Message message : messages) {
      sentUpTo.merge(message.getSenderUserId(), message.getSeq(), Math::max);
    }
    Set<String> recipients = Set.copyOf(members);
    List<RowBatches.Rows> copies = new ArrayList<>();
    for (BoundStatement row : clientIds.rows(conversationId, messages)) {
      copies.add(RowBatches.Rows.of("client_ids", row, KEY_BYTES));
    }
    for (String member : recipients) {
      for (List<Message> chunk : chunks) {
        copies.add(copies(member, chunk));
      }
    }
    List<RowBatches.Rows> rows = new ArrayList<>();
    long nowMs = clock.millis();
    for (String member : recipients) {
      rows.add(conversationRow(member, conversationId, last, sentUpTo.get(member)));
      rows.add(RowBatches.Rows.of("user_changes",
          changes.record(member, conversationId, last.getSeq(), nowMs), KEY_BYTES));
    }
    List<RowBatches.Rows> checkpoint =
        List.of(RowBatches.Rows.of("conversations", conversations.projectedRow(conversationId, last.getSeq()), KEY_BYTES));
    return copyRounds.write(copies)
        .thenCompose(done -> rowRounds.write(rows))
        .thenCompose(done -> checkpointRounds.write(checkpoint));
  }

  private CompletionStage<Void> write(List<RowBatches.Rows> rows) {
    List<RowBatches.Request> requests = RowBatches.pack(rows);
    metrics.projectionRequests(requests.size());
    return RowBatches.send(session, config.consistency(), requests,
        request -> request.rowsByTable().forEach(metrics::rowsWritten));
  }

  private RowBatches.Rows conversationRow(String member, String conversationId, Message last, Long readUpTo) {
    ConversationKind kind = ConversationIds.kindOf(conversationId);
    String peer = ConversationIds.peerOf(conversationId, member).orElse(null);
    Message preview = preview(last);
    BoundStatementBuilder row =
        updateLast
            .boundStatementBuilder()
            .setLong("ts", last.getSeq())
            .setInt("kind", kind.getNumber())
            .setLong("last_seq", last.getSeq())
            .setByteBuffer("last_message", ByteBuffer.wrap(preview.toByteArray()))
            .setLong("last_time_ms", last.getServerTimeMs())
            .setString("user_id", member)
            .setString("conversation_id", conversationId);
    if (peer != null) {
      row.setString("peer", peer); // left unset for groups: no tombstone
    }
    int bytes = KEY_BYTES + preview.getSerializedSize();
    if (readUpTo == null) {
      return RowBatches.Rows.of("user_conversations", row.build(), bytes);
    }
    // The sender's read marker is in the same row. Each statement keeps its own timestamp.
    return new RowBatches.Rows("user_conversations",
        List.of(row.build(), updateRead.bind(readUpTo, readUpTo, member, conversationId)), bytes);
  }

  private RowBatches.Rows copies(String member, List<Message> chunk) {
    List<BatchableStatement<?>> statements = new ArrayList<>();
    int bytes = 0;
    for (Message message : chunk) {
      statements.add(copy(member, message));
      bytes += KEY_BYTES + message.getSerializedSize();
    }
    return new RowBatches.Rows("user_messages", statements, bytes);
  }

  private BoundStatement copy(String member, Message message) {
    return MessageRows.bindValues(insertCopy.boundStatementBuilder(), message)
        .setString("user_id", member)
        .setString("conversation_id", message.getConversationId())
        .setLong("bucket", Buckets.of(message.getSeq()))
        .setLong("seq", message.getSeq())
        .build();
  }

  /** The message with its body cut to {@link #PREVIEW_CODE_POINTS} code points. */
  static Message preview(Message message) {
    String body = message.getBody();
    if (body.codePointCount(0, body.length()) <= PREVIEW_CODE_POINTS) {
      return message;
    }
    return message.toBuilder().setBody(body.substring(0, body.offsetByCodePoints(0, PREVIEW_CODE_POINTS))).build();
  }

  private static void requireAscending(String conversationId, List<Message> messages) {
    long previous = 0;
    for (Message message : messages) {
      if (!message.getConversationId().equals(conversationId)) {
        throw new IllegalArgumentException("messages of several conversations in one fan-out");
      }
      if (message.getSeq() <= previous) {
        throw new IllegalArgumentException("seqs must be ascending and at least 1");
      }
      previous = message.getSeq();
    }
  }
}
