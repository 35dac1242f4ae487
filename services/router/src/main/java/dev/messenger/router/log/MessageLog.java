package dev.messenger.router.log;

import static java.util.Objects.requireNonNull;

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
import dev.messenger.history.store.AsyncCql;
import dev.messenger.history.store.Buckets;
import dev.messenger.history.store.ConversationInfo;
import dev.messenger.history.store.ConversationTable;
import dev.messenger.history.store.GroupTable;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.history.store.HistoryMetrics;
import dev.messenger.history.store.HistoryStore;
import dev.messenger.history.store.MessageRows;
import dev.messenger.history.store.StoredGroup;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The router's write path on CQL: the per-conversation log (the commit point), the shard epochs that fence
 * it (promise 4), and the projection of committed messages into what readers use.
 *
 * <p>Fencing: a router takes a shard by raising its epoch ({@link #claimShard}, a conditional write). It
 * writes log rows with plain QUORUM writes {@code USING TIMESTAMP <epoch>}, and a commit counts only when a
 * read of the shard's epoch ({@link #shardEpoch}), started after the write completed, still returns its own.
 * So a deposed router can never commit: if its check passed, its rows were complete before the new epoch
 * existed, and the new owner, which reads only after raising the epoch, builds on them; if its rows land
 * later, the new owner's rows for the same seqs carry a higher timestamp and win, and its check fails. An
 * owner never writes one seq twice with different content in one epoch: a write whose outcome is unknown
 * is repeated as it was.
 *
 * <p>Expected use by the owner of a shard: {@link #claimShard} once; per conversation {@link #loadHead} and
 * {@link #readLog} of the unprojected tail; per batch {@link #markForProjection} (once an hour per
 * conversation), {@link #commit}, {@link #shardEpoch}; then, asynchronously and in seq order,
 * {@link #project}. A new owner finds what may be unprojected with {@link #markedForProjection}.
 *
 * <p>Rows written here with explicit small timestamps (the log, {@code conversations.last_seq}/
 * {@code projected_seq}, the 1:1 metadata, the user rows of {@link #project}) must never be written with a
 * normal (current-time) timestamp: they would stay stuck at that value.
 */
public final class MessageLog {
  private final CqlSession session;
  private final HistoryConfig config;
  private final HistoryMetrics metrics;
  private final Clock clock;
  private final ConversationTable conversations;
  private final ConversationWrites conversationWrites;
  private final ProjectionWriter projection;
  private final PreparedStatement selectHeadInBucket;
  private final PreparedStatement selectTopInBucket;
  private final PreparedStatement insertLog;
  private final PreparedStatement selectLog;
  private final ClientIdTable clientIds;
  private final ProjectionMarkTable marks;
  private final ShardEpochs epochs;
  private final GroupTable groups;
  private final GroupWrites groupWrites;

  /** Prepares every statement (blocking, once at start); the schema must exist. */
  public static MessageLog open(CqlSession session, HistoryConfig config, PrometheusRegistry registry, Clock clock) {
    return new MessageLog(requireNonNull(session, "session"), requireNonNull(config, "config"),
        HistoryMetrics.of(requireNonNull(registry, "registry")), requireNonNull(clock, "clock"));
  }

  /** {@link #open} once the history service has created the schema, retrying until {@code timeout}. */
  public static MessageLog openWhenReady(CqlSession session, HistoryConfig config, PrometheusRegistry registry,
      Clock clock, java.time.Duration timeout) throws InterruptedException {
    return HistoryStore.whenSchemaReady(config, timeout, () -> open(session, config, registry, clock));
  }

  public MessageLog(CqlSession session, HistoryConfig config, HistoryMetrics metrics, Clock clock) {
    this.session = session;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    this.conversations = new ConversationTable(session, config);
    this.conversationWrites = new ConversationWrites(session, config);
    this.clientIds = new ClientIdTable(session, config);
    this.projection = new ProjectionWriter(session, config, metrics, conversationWrites, clientIds,
        new UserChangeRows(session, config), clock);
    String log = config.table("conversation_log");
    this.selectHeadInBucket =
        session.prepare(
            "SELECT seq, writetime(message_id) AS written FROM " + log
                + " WHERE conversation_id = ? AND bucket = ? ORDER BY seq DESC LIMIT 1");
    this.selectTopInBucket =
        session.prepare(
            "SELECT seq, writetime(message_id) AS written FROM " + log
                + " WHERE conversation_id = ? AND bucket = ? AND seq > ? ORDER BY seq DESC");
    this.insertLog =
        session.prepare(
            "INSERT INTO " + log + " (conversation_id, bucket, seq, " + MessageRows.VALUE_COLUMNS + ") VALUES "
                + "(:conversation_id, :bucket, :seq, " + MessageRows.VALUE_MARKERS + ") USING TIMESTAMP :epoch");
    this.selectLog =
        session.prepare(
            "SELECT " + MessageRows.COLUMNS + " FROM " + log
                + " WHERE conversation_id = ? AND bucket = ? AND seq > ? LIMIT ?");
    this.marks = new ProjectionMarkTable(session, config);
    this.epochs = new ShardEpochs(session, config);
    this.groups = new GroupTable(session, config);
    this.groupWrites = new GroupWrites(session, config, groups);
  }

  /**
   * The highest seq in a conversation's log (0 when it has none). Call it after claiming the shard: every
   * commit of an earlier owner is then complete and seen. Starts at the {@code conversations.last_seq} hint
   * and walks forward while buckets are full (the log is gap-free).
   */
  public CompletionStage<Long> loadHead(String conversationId) {
    return state(conversationId).thenApply(LogState::head);
  }

  /** The head of the log and the projection checkpoint, with one read of the conversation's row. */
  public CompletionStage<LogState> state(String conversationId) {
    return metrics.read(
        "load_head",
        () ->
            conversations
                .find(conversationId)
                .thenCompose(info -> {
                  long start = Buckets.of(info.map(ConversationInfo::lastSeq).orElse(0L));
                  long checkpoint = info.map(ConversationInfo::projectedSeq).orElse(0L);
                  Seal seal = info.map(i -> new Seal(i.sealedEpoch(), i.sealedHead())).orElse(Seal.NONE);
                  return headFrom(conversationId, start, start, seal)
                      .thenApply(head -> new LogState(head, checkpoint));
                }));
  }

  /**
   * Records, before the owner holding {@code epoch} commits on top of the {@code head} it loaded, that every
   * committed message up to that head was there when it loaded. A router fenced out meanwhile (paused past its
   * lease, then resumed with sends in hand) can still write rows past that head with its older epoch: they
   * were never committed (its epoch read fails), and a later owner that does not write those seqs itself would
   * otherwise take them for the log. With the seal, {@link #state} skips them: past a seal's head only rows
   * written with its epoch or a newer one count.
   */
  public CompletionStage<Void> seal(String conversationId, long epoch, long head) {
    return metrics.write("seal", () -> conversationWrites.seal(conversationId, epoch, head));
  }

  /** The last seal of a conversation's log: rows past {@code head} written before {@code epoch} never counted. */
  private record Seal(long epoch, long head) {
    static final Seal NONE = new Seal(0, Long.MAX_VALUE);

    boolean counts(long seq, long written) {
      return seq <= head || written >= epoch;
    }
  }

  /** Where a conversation's log stands: its head, and how far it is projected. */
  public record LogState(long head, long projectedSeq) {}

  private CompletionStage<Long> headFrom(String conversationId, long bucket, long startBucket, Seal seal) {
    return maxSeqIn(conversationId, bucket, seal)
        .thenCompose(max -> {
          if (max.isPresent()) {
            return Buckets.isLastOfBucket(max.get())
                ? headFrom(conversationId, bucket + 1, startBucket, seal)
                : CompletableFuture.completedFuture(max.get());
          }
          if (bucket > startBucket) {
            return CompletableFuture.completedFuture(Buckets.lastSeq(bucket - 1));
          }
          // The hint points past the log (it never should): walk back to the last bucket with rows.
          return bucket == 0
              ? CompletableFuture.completedFuture(0L)
              : headFrom(conversationId, bucket - 1, bucket - 1, seal);
        });
  }

  /** The highest seq of the bucket that counts under the seal (usually the top row: one row read). */
  private CompletionStage<Optional<Long>> maxSeqIn(String conversationId, long bucket, Seal seal) {
    return session
        .executeAsync(
            selectHeadInBucket
                .bind(conversationId, bucket)
                .setConsistencyLevel(config.consistency())
                .setIdempotent(true))
        .thenCompose(rs -> {
          Row top = rs.one();
          if (top == null || seal.counts(top.getLong("seq"), top.getLong("written"))) {
            return CompletableFuture.completedFuture(Optional.ofNullable(top).map(row -> row.getLong("seq")));
          }
          metrics.fencedRowsSkipped();
          return AsyncCql.allRows(session.executeAsync(selectTopInBucket.bind(conversationId, bucket, 0L)
                  .setConsistencyLevel(config.consistency()).setIdempotent(true)))
              .thenApply(rows -> rows.stream()
                  .filter(row -> seal.counts(row.getLong("seq"), row.getLong("written")))
                  .map(row -> row.getLong("seq"))
                  .findFirst());
        });
  }

  /**
   * Writes messages with consecutive seqs, all of one conversation, into its log with the owner's epoch as
   * write timestamp: one unlogged single-partition batch per bucket (and per
   * {@value CommitBatches#MAX_BATCH_BYTES} bytes), in order, so the log never has a gap. Not a commit yet:
   * the owner confirms its epoch afterwards ({@link #shardEpoch}). A failed stage means the outcome is
   * unknown: write the same messages again, never others at the same seqs.
   */
  public CompletionStage<Void> commit(String conversationId, List<Message> messages, long epoch) {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be positive: " + epoch);
    }
    List<List<Message>> batches = CommitBatches.split(conversationId, messages, CommitBatches.MAX_BATCH_BYTES);
    return metrics.write("commit", () -> commitFrom(batches, 0, epoch));
  }

  private CompletionStage<Void> commitFrom(List<List<Message>> batches, int index, long epoch) {
    if (index == batches.size()) {
      return CompletableFuture.completedFuture(null);
    }
    List<Message> batch = batches.get(index);
    Statement<?> statement;
    if (batch.size() == 1) {
      statement = logRow(batch.get(0), epoch);
    } else {
      BatchStatementBuilder builder = BatchStatement.builder(DefaultBatchType.UNLOGGED);
      for (Message message : batch) {
        builder.addStatement(logRow(message, epoch));
      }
      statement = builder.build();
    }
    return session
        .executeAsync(statement.setConsistencyLevel(config.consistency()).setIdempotent(true))
        .thenCompose(rs -> {
          metrics.logRowsWritten(batch.size());
          return commitFrom(batches, index + 1, epoch);
        });
  }

  private BoundStatement logRow(Message message, long epoch) {
    return MessageRows.bindValues(insertLog.boundStatementBuilder(), message)
        .setLong("epoch", epoch)
        .setString("conversation_id", message.getConversationId())
        .setLong("bucket", Buckets.of(message.getSeq()))
        .setLong("seq", message.getSeq())
        .build();
  }

  /**
   * Up to {@code limit} messages of the log with seq above {@code afterSeq}, ascending. Only the shard's
   * owner reads the log, and only up to heads it loaded or committed: those rows are final.
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
            .setConsistencyLevel(config.consistency())
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

  /** The stored send of a sender's client message id in a conversation, if there is one. */
  public CompletionStage<Optional<StoredSend>> findClientId(
      String conversationId, String senderUserId, String clientMessageId) {
    return metrics.read("client_id", () -> clientIds.find(conversationId, senderUserId, clientMessageId));
  }

  /**
   * Projects committed messages (one conversation, ascending seqs, the next ones after the checkpoint):
   * client ids, every member's copy and conversation row (each sender's read marker moves to its own
   * message), then the checkpoint {@code projected_seq}. Idempotent; call it in seq order without skipping.
   */
  public CompletionStage<Void> project(Collection<String> members, List<Message> messages) {
    return metrics.write("projection", () -> applyGroupChanges(members, messages, 0)
        .thenCompose(done -> projection.apply(members, messages)));
  }

  /** The group rows of the SYSTEM messages among {@code messages}, in seq order, before their checkpoint. */
  private CompletionStage<Void> applyGroupChanges(Collection<String> members, List<Message> messages, int from) {
    for (int i = from; i < messages.size(); i++) {
      Message change = messages.get(i);
      if (change.hasGroupChange()) {
        int next = i + 1;
        return groupWrites.apply(change)
            .thenCompose(done -> groupWrites.applyTitles(change, members))
            .thenCompose(done -> applyGroupChanges(members, messages, next));
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  /** The group as projected (members, roles, title, version); empty when it was never created. */
  public CompletionStage<Optional<StoredGroup>> group(String conversationId) {
    return metrics.read("group", () -> groups.find(conversationId));
  }

  /** Every message of the conversation up to this seq is projected (0 when none). */
  public CompletionStage<Long> projectedSeq(String conversationId) {
    return conversation(conversationId).thenApply(info -> info.map(ConversationInfo::projectedSeq).orElse(0L));
  }

  /** Raises the shard's epoch for {@code owner} (a conditional write); completes with the new epoch. */
  public CompletionStage<Long> claimShard(int shard, String owner) {
    return metrics.write("claim_shard", () -> epochs.claim(shard, owner));
  }

  /** The shard's current epoch; an owner's commit counts once this, read after its write, is its own. */
  public CompletionStage<Long> shardEpoch(int shard) {
    return metrics.read("shard_epoch", () -> epochs.current(shard));
  }

  /** Notes that the conversation may have unprojected commits in this hour (hours since the Unix epoch). */
  public CompletionStage<Void> markForProjection(int shard, long hour, String conversationId) {
    return metrics.write("projection_mark", () -> marks.mark(shard, hour, conversationId)
        .thenRun(() -> metrics.rowsWritten("projection_marks", 1)));
  }

  /** The conversations of a shard marked in an hour: what a new owner checks for unprojected commits. */
  public CompletionStage<List<String>> markedForProjection(int shard, long hour) {
    return metrics.read("projection_mark", () -> marks.list(shard, hour));
  }

  /**
   * Records a 1:1 conversation and its two members; idempotent (a plain write with a fixed timestamp, no
   * Paxos). {@code conversationId} must be {@link ConversationIds#direct} of the two users.
   */
  public CompletionStage<Void> ensureDirectConversation(String conversationId, String userA, String userB) {
    return metrics.write(
        "conversation", () -> conversationWrites.ensureDirect(conversationId, userA, userB, clock.millis()));
  }

  /** The members of a conversation; empty when it is unknown. */
  public CompletionStage<Optional<Set<String>>> members(String conversationId) {
    return metrics.read("members", () -> conversations.members(conversationId));
  }

  /** The metadata row of a conversation (members, last_seq hint, projected_seq); empty when unknown. */
  public CompletionStage<Optional<ConversationInfo>> conversation(String conversationId) {
    return metrics.read("conversation", () -> conversations.find(conversationId));
  }
}
