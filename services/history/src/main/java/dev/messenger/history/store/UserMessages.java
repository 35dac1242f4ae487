package dev.messenger.history.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import dev.messenger.api.v1.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Bucket walks over a member's copies in {@code user_messages}. A member's copies are contiguous from the
 * first message they received (a member who joined a group late has none before that), up to the
 * {@code last_seq} of their conversation row.
 */
final class UserMessages {
  private final CqlSession session;
  private final HistoryConfig config;
  private final PreparedStatement ascending;
  private final PreparedStatement descending;

  UserMessages(CqlSession session, HistoryConfig config) {
    this.session = session;
    this.config = config;
    String table = config.table("user_messages");
    String where = " WHERE user_id = ? AND conversation_id = ? AND bucket = ? ";
    this.ascending =
        session.prepare(
            "SELECT " + MessageRows.COLUMNS + " FROM " + table + where + "AND seq > ? AND seq <= ? LIMIT ?");
    this.descending =
        session.prepare(
            "SELECT " + MessageRows.COLUMNS + " FROM " + table + where + "AND seq < ? ORDER BY seq DESC LIMIT ?");
  }

  /**
   * Up to {@code limit} copies with {@code afterSeq < seq <= upToSeq}, ascending. Visits every bucket of the
   * range until the limit is reached (empty buckets included, so a late joiner's copies are found).
   */
  CompletionStage<List<Message>> after(String userId, String conversationId, long afterSeq, long upToSeq, int limit) {
    if (limit <= 0 || upToSeq <= afterSeq) {
      return CompletableFuture.completedFuture(List.of());
    }
    return afterFrom(userId, conversationId, Buckets.of(afterSeq + 1), afterSeq, upToSeq, limit, new ArrayList<>());
  }

  private CompletionStage<List<Message>> afterFrom(
      String userId, String conversationId, long bucket, long afterSeq, long upToSeq, int limit, List<Message> into) {
    Statement<?> statement =
        ascending
            .bind(userId, conversationId, bucket, afterSeq, upToSeq, limit - into.size())
            .setConsistencyLevel(config.consistency())
            .setIdempotent(true);
    return AsyncCql.allRows(session.executeAsync(statement))
        .thenCompose(rows -> {
          addAll(rows, into);
          long next = bucket + 1;
          if (into.size() >= limit || Buckets.firstSeq(next) > upToSeq) {
            return CompletableFuture.completedFuture(into);
          }
          return afterFrom(userId, conversationId, next, afterSeq, upToSeq, limit, into);
        });
  }

  /**
   * Up to {@code limit} copies with seq below {@code beforeSeq}, returned ascending (the newest ones).
   * Walks back while buckets are filled down to their first seq; a bucket that starts later marks the
   * member's first message, and the walk stops there.
   */
  CompletionStage<List<Message>> before(String userId, String conversationId, long beforeSeq, int limit) {
    if (limit <= 0 || beforeSeq <= 1) {
      return CompletableFuture.completedFuture(List.of());
    }
    return beforeFrom(userId, conversationId, Buckets.of(beforeSeq - 1), beforeSeq, limit, new ArrayList<>())
        .thenApply(newestFirst -> {
          Collections.reverse(newestFirst);
          return newestFirst;
        });
  }

  private CompletionStage<List<Message>> beforeFrom(
      String userId, String conversationId, long bucket, long beforeSeq, int limit, List<Message> into) {
    Statement<?> statement =
        descending
            .bind(userId, conversationId, bucket, beforeSeq, limit - into.size())
            .setConsistencyLevel(config.consistency())
            .setIdempotent(true);
    return AsyncCql.allRows(session.executeAsync(statement))
        .thenCompose(rows -> {
          addAll(rows, into);
          boolean reachedBucketStart =
              !rows.isEmpty() && into.get(into.size() - 1).getSeq() == Buckets.firstSeq(bucket);
          if (into.size() >= limit || bucket == 0 || !reachedBucketStart) {
            return CompletableFuture.completedFuture(into);
          }
          return beforeFrom(userId, conversationId, bucket - 1, Buckets.firstSeq(bucket), limit, into);
        });
  }

  private static void addAll(List<Row> rows, List<Message> into) {
    for (Row row : rows) {
      into.add(MessageRows.toMessage(row));
    }
  }
}
