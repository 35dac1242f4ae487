package dev.messenger.push.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Notifications given up on after the last attempt, with the reason, kept 30 days ({@code push_dead_letters}). */
public final class DeadLetters {
  private static final int TTL_SECONDS = 30 * 24 * 3600;

  private final CqlSession session;
  private final PushStoreConfig config;
  private final PreparedStatement insert;
  private final PreparedStatement selectUser;

  /** One dead letter. */
  public record DeadLetter(String userId, String deviceId, String conversationId, long seq, String provider,
      String reason, int attempts, long failedMs) {}

  public DeadLetters(CqlSession session, PushStoreConfig config) {
    this.session = session;
    this.config = config;
    String table = config.table("push_dead_letters");
    this.insert = session.prepare("INSERT INTO " + table + " (user_id, device_id, conversation_id, seq, provider, "
        + "reason, attempts, failed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TTL " + TTL_SECONDS);
    this.selectUser = session.prepare("SELECT user_id, device_id, conversation_id, seq, provider, reason, attempts, "
        + "failed_ms FROM " + table + " WHERE user_id = ?");
  }

  public CompletionStage<Void> record(DeadLetter letter) {
    return session.executeAsync(insert.bind(letter.userId(), letter.deviceId(), letter.conversationId(),
            letter.seq(), letter.provider(), letter.reason(), letter.attempts(), letter.failedMs())
            .setConsistencyLevel(config.consistency()).setIdempotent(true))
        .thenApply(rs -> (Void) null);
  }

  /** The user's dead letters (operations, tests). */
  public CompletionStage<List<DeadLetter>> ofUser(String userId) {
    return session.executeAsync(selectUser.bind(userId).setConsistencyLevel(config.consistency())).thenApply(rs -> {
      List<DeadLetter> letters = new ArrayList<>();
      for (Row row : rs.currentPage()) {
        letters.add(new DeadLetter(row.getString(0), row.getString(1), row.getString(2), row.getLong(3),
            row.getString(4), row.getString(5), row.getInt(6), row.getLong(7)));
      }
      return letters;
    });
  }
}
