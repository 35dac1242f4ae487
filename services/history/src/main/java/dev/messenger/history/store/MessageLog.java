package dev.messenger.history.store;

import dev.messenger.common.ConversationIds;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import dev.messenger.api.v1.Message;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The router's write path: the per-conversation log, which is both the commit point of a message and the
 * fence between routers (promise 4). A seq is taken by a conditional ({@code IF NOT EXISTS}) batch on its
 * {@code conversation_log} row, so of two routers that both believe they own a conversation, exactly one
 * commits each seq; the other sees {@code false} and must reload the head. Everything is asynchronous.
 *
 * <p>Expected use by the owner of a conversation: {@link #loadHead} once, then per burst {@link #markInflight},
 * {@link #commit}, {@link #recordClientIds}, {@link #fanOut}, {@link #clearInflight}. A new owner repairs the
 * conversations of {@link #listInflight}: {@link #conversation} gives {@code fannedOutSeq}, {@link #readLog}
 * what follows it, and {@link #recordClientIds} plus {@link #fanOut} are redone (they are idempotent).
 *
 * <p>Rows written here with explicit small timestamps ({@code conversations.last_seq}/{@code fanned_out_seq},
 * the 1:1 metadata, {@code router_inflight}, the user rows of {@link #fanOut}) must never be written with a
 * normal (current-time) timestamp: they would stay stuck at that value.
 */
public final class MessageLog {
  private final CqlSession session;
  private final HistoryConfig config;
  private final HistoryMetrics metrics;
  private final Clock clock;
  private final ConversationTable conversations;
  private final FanOutWriter fanOut;
  private final PreparedStatement selectHeadInBucket;
  private final PreparedStatement insertLog;
  private final PreparedStatement selectLog;
  private final ClientIdTable clientIds;
  private final InflightTable inflight;

  public MessageLog(CqlSession session, HistoryConfig config, HistoryMetrics metrics, Clock clock) {
    this.session = session;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    this.conversations = new ConversationTable(session, config);
    this.fanOut = new FanOutWriter(session, config, conversations);
    String log = config.table("conversation_log");
    this.selectHeadInBucket =
        session.prepare(
            "SELECT seq FROM " + log + " WHERE conversation_id = ? AND bucket = ? ORDER BY seq DESC LIMIT 1");
    this.insertLog =
        session.prepare(
            "INSERT INTO " + log + " (conversation_id, bucket, seq, " + MessageRows.VALUE_COLUMNS + ") VALUES "
                + "(:conversation_id, :bucket, :seq, " + MessageRows.VALUE_MARKERS + ") IF NOT EXISTS");
    this.selectLog =
        session.prepare(
            "SELECT " + MessageRows.COLUMNS + " FROM " + log
                + " WHERE conversation_id = ? AND bucket = ? AND seq > ? LIMIT ?");
    this.clientIds = new ClientIdTable(session, config);
    this.inflight = new InflightTable(session, config);
  }

  /**
   * The highest committed seq of a conversation (0 when it has none), read at serial consistency so that a
   * commit by any other router that completed, or is in progress, is seen. Starts at the
   * {@code conversations.last_seq} hint and walks forward while buckets are full (the log is gap-free).
   */
  public CompletionStage<Long> loadHead(String conversationId) {
    return metrics.read(
        "load_head",
        () ->
            conversations
                .find(conversationId)
                .thenCompose(info -> {
                  long start = Buckets.of(info.map(ConversationInfo::lastSeq).orElse(0L));
                  return headFrom(conversationId, start, start);
                }));
  }

  private CompletionStage<Long> headFrom(String conversationId, long bucket, long startBucket) {
    return maxSeqIn(conversationId, bucket)
        .thenCompose(max -> {
          if (max.isPresent()) {
            return Buckets.isLastOfBucket(max.get())
                ? headFrom(conversationId, bucket + 1, startBucket)
                : CompletableFuture.completedFuture(max.get());
          }
          if (bucket > startBucket) {
            return CompletableFuture.completedFuture(Buckets.lastSeq(bucket - 1));
          }
          // The hint points past the log (it never should): walk back to the last bucket with rows.
          return bucket == 0
              ? CompletableFuture.completedFuture(0L)
              : headFrom(conversationId, bucket - 1, bucket - 1);
        });
  }

  private CompletionStage<Optional<Long>> maxSeqIn(String conversationId, long bucket) {
    return session
        .executeAsync(
            selectHeadInBucket
                .bind(conversationId, bucket)
                .setConsistencyLevel(config.serialConsistency())
                .setIdempotent(true))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> row.getLong("seq")));
  }

  /**
   * Commits messages with consecutive seqs, all of one conversation: one conditional batch per bucket (and
   * per {@value CommitBatches#MAX_BATCH_BYTES} bytes), applied in order. Completes with {@code true} when
   * every message is committed, {@code false} as soon as a batch finds one of its seqs taken, i.e. another
   * router committed it; later batches are then not sent. When the messages span batches, earlier batches
   * may be committed before a later one fails: a {@code false} means "reload the head and re-read the log".
   * A failed stage (e.g. a CAS write timeout) means the outcome is unknown: resolve it the same way.
   */
  public CompletionStage<Boolean> commit(String conversationId, List<Message> messages) {
    List<List<Message>> batches = CommitBatches.split(conversationId, messages, CommitBatches.MAX_BATCH_BYTES);
    return metrics.write("commit", () -> commitFrom(batches, 0));
  }

  private CompletionStage<Boolean> commitFrom(List<List<Message>> batches, int index) {
    if (index == batches.size()) {
      return CompletableFuture.completedFuture(true);
    }
    List<Message> batch = batches.get(index);
    BatchStatementBuilder builder =
        BatchStatement.builder(DefaultBatchType.LOGGED)
            .setConsistencyLevel(config.consistency())
            .setSerialConsistencyLevel(config.serialConsistency());
    for (Message message : batch) {
      builder.addStatement(logRow(message));
    }
    return session
        .executeAsync(builder.build())
        .thenCompose(rs -> {
          if (!rs.wasApplied()) {
            metrics.commitConflict();
            return CompletableFuture.completedFuture(false);
          }
          metrics.committed(batch.size());
          return commitFrom(batches, index + 1);
        });
  }

  private BoundStatement logRow(Message message) {
    return MessageRows.bindValues(insertLog.boundStatementBuilder(), message)
        .setString("conversation_id", message.getConversationId())
        .setLong("bucket", Buckets.of(message.getSeq()))
        .setLong("seq", message.getSeq())
        .build();
  }

  /**
   * Up to {@code limit} committed messages with seq above {@code afterSeq}, ascending, read at serial
   * consistency (this is what repair reads, so it must see every commit).
   */
  public CompletionStage<List<Message>> readLog(String conversationId, long afterSeq, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive");
    }
    return metrics.read(
        "read_log", () -> readFrom(conversationId, Buckets.of(afterSeq + 1), afterSeq, limit, new ArrayList<>()));
  }

  private CompletionStage<List<Message>> readFrom(
      String conversationId, long bucket, long afterSeq, int limit, List<Message> into) {
    Statement<?> statement =
        selectLog
            .bind(conversationId, bucket, afterSeq, limit - into.size())
            .setConsistencyLevel(config.serialConsistency())
            .setIdempotent(true);
    return AsyncCql.allRows(session.executeAsync(statement))
        .thenCompose(rows -> {
          for (Row row : rows) {
            into.add(MessageRows.toMessage(row));
          }
          if (rows.isEmpty() || into.size() >= limit) {
            return CompletableFuture.completedFuture(into);
          }
          long last = into.get(into.size() - 1).getSeq();
          return Buckets.isLastOfBucket(last)
              ? readFrom(conversationId, bucket + 1, last, limit, into)
              : CompletableFuture.completedFuture(into);
        });
  }

  /** Remembers each message's client message id (messages without one are skipped) for retried sends. */
  public CompletionStage<Void> recordClientIds(String conversationId, List<Message> messages) {
    return metrics.write("client_ids", () -> clientIds.record(conversationId, messages));
  }

  /** The stored send of a sender's client message id in a conversation, if there is one. */
  public CompletionStage<Optional<StoredSend>> findClientId(
      String conversationId, String senderUserId, String clientMessageId) {
    return metrics.read("client_id", () -> clientIds.find(conversationId, senderUserId, clientMessageId));
  }

  /**
   * Copies committed messages (one conversation, ascending seqs) to every member and raises the
   * conversation's {@code last_seq}/{@code fanned_out_seq}; each sender's read marker moves to its own
   * message. Idempotent. Call it in seq order: {@code fanned_out_seq} claims every earlier message is out.
   */
  public CompletionStage<Void> fanOut(Collection<String> members, List<Message> messages) {
    return metrics.write("fan_out", () -> fanOut.fanOut(members, messages));
  }

  /**
   * Marks a conversation in flight on a shard before committing {@code fromSeq} onwards. The row is written
   * with timestamp {@code fromSeq}, so only a clear for a seq at or beyond it removes it (no clocks involved).
   */
  public CompletionStage<Void> markInflight(int shard, String conversationId, long fromSeq) {
    return metrics.write("inflight", () -> inflight.mark(shard, conversationId, fromSeq, clock.millis()));
  }

  /**
   * Clears the in-flight mark once everything up to {@code upToSeq} is fanned out. A mark made later for a
   * higher seq (by a new owner) survives this clear.
   */
  public CompletionStage<Void> clearInflight(int shard, String conversationId, long upToSeq) {
    return metrics.write("inflight", () -> inflight.clear(shard, conversationId, upToSeq));
  }

  /** The conversations marked in flight on a shard, for its new owner to repair. */
  public CompletionStage<List<Inflight>> listInflight(int shard) {
    return metrics.read("inflight", () -> inflight.list(shard));
  }

  /**
   * Records a 1:1 conversation and its two members; idempotent (a plain write with a fixed timestamp, no
   * Paxos). {@code conversationId} must be {@link ConversationIds#direct} of the two users.
   */
  public CompletionStage<Void> ensureDirectConversation(String conversationId, String userA, String userB) {
    return metrics.write(
        "conversation", () -> conversations.ensureDirect(conversationId, userA, userB, clock.millis()));
  }

  /** The members of a conversation; empty when it is unknown. */
  public CompletionStage<Optional<Set<String>>> members(String conversationId) {
    return metrics.read("members", () -> conversations.members(conversationId));
  }

  /** The metadata row of a conversation (members, last_seq hint, fanned_out_seq); empty when unknown. */
  public CompletionStage<Optional<ConversationInfo>> conversation(String conversationId) {
    return metrics.read("conversation", () -> conversations.find(conversationId));
  }
}
