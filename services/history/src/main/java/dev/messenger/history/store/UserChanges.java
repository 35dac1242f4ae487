package dev.messenger.history.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Reads the {@code user_changes} table: per member and hour, the conversations whose history changed in that
 * hour, with their last seq. Written by the projection (the router's {@code UserChangeRows}) with the
 * member's conversation row, in the hour the projection runs; read by catch-up to look only at what changed
 * since the device's last complete sync, one small partition per hour. A device away for more than
 * {@link #INCREMENTAL} examines every conversation instead; rows expire a day after that.
 */
public final class UserChanges {
  static final Duration INCREMENTAL = Duration.ofDays(7);
  static final Duration KEPT = INCREMENTAL.plusDays(1);
  /** Covers projection lag and clocks that differ between the projecting and the reading host. */
  static final Duration MARGIN = Duration.ofMinutes(5);
  private static final long HOUR_MS = Duration.ofHours(1).toMillis();

  private final CqlSession session;
  private final HistoryConfig config;
  private final PreparedStatement select;

  UserChanges(CqlSession session, HistoryConfig config) {
    this.session = session;
    this.config = config;
    String table = config.table("user_changes");
    this.select = session.prepare("SELECT conversation_id, last_seq FROM " + table + " WHERE user_id = ? AND hour = ?");
  }

  /** True when a device synced at {@code syncedAtMs} can be caught up from this table. */
  static boolean covers(long syncedAtMs, long nowMs) {
    return syncedAtMs > 0 && nowMs - syncedAtMs < INCREMENTAL.toMillis();
  }

  /** The partition ({@code hour}) of a change recorded at {@code nowMs}. */
  public static long hourOf(long nowMs) {
    return nowMs / HOUR_MS;
  }

  /** The user's conversations changed since {@code sinceMs} (minus the margin), with their highest last seq. */
  CompletionStage<Map<String, Long>> since(String userId, long sinceMs, long nowMs) {
    List<Supplier<CompletionStage<List<Row>>>> hours = new ArrayList<>();
    for (long hour = hourOf(sinceMs - MARGIN.toMillis()); hour <= hourOf(nowMs); hour++) {
      Statement<?> statement = select.bind(userId, hour).setConsistencyLevel(config.consistency()).setIdempotent(true);
      hours.add(() -> AsyncCql.allRows(session.executeAsync(statement)));
    }
    return AsyncCql.inParallel(hours, 8).thenApply(found -> {
      Map<String, Long> changed = new HashMap<>();
      for (List<Row> rows : found) {
        for (Row row : rows) {
          changed.merge(row.getString("conversation_id"), row.getLong("last_seq"), Math::max);
        }
      }
      return changed;
    });
  }
}
