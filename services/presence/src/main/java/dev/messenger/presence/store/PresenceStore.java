package dev.messenger.presence.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.messenger.common.cql.AsyncRows;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Presence's durable state in CQL: per user what watchers were last told (online, last seen) and the hidden
 * flag; per presence partition the users last published online, so that whoever owns the partition next can
 * take them offline if they are gone. All calls are asynchronous.
 */
public final class PresenceStore {
  private final CqlSession session;
  private final PreparedStatement markOnline;
  private final PreparedStatement addOnline;
  private final PreparedStatement markOffline;
  private final PreparedStatement removeOnline;
  private final PreparedStatement selectUser;
  private final PreparedStatement selectOnline;
  private final PreparedStatement updateHidden;

  private PresenceStore(CqlSession session, PresenceStoreConfig config) {
    this.session = session;
    String users = config.table("presence_users");
    String online = config.table("presence_online");
    this.markOnline = prepare(config, "UPDATE " + users + " SET online = true WHERE user_id = ?");
    this.addOnline = prepare(config,
        "INSERT INTO " + online + " (partition_id, user_id, since_ms) VALUES (?, ?, ?)");
    this.markOffline = prepare(config,
        "UPDATE " + users + " SET online = false, last_seen_ms = ? WHERE user_id = ?");
    this.removeOnline = prepare(config, "DELETE FROM " + online + " WHERE partition_id = ? AND user_id = ?");
    this.selectUser = prepare(config,
        "SELECT online, last_seen_ms, hidden FROM " + users + " WHERE user_id = ?");
    this.selectOnline = prepare(config, "SELECT user_id FROM " + online + " WHERE partition_id = ?");
    this.updateHidden = prepare(config, "UPDATE " + users + " SET hidden = ? WHERE user_id = ?");
  }

  /** Prepares the statements; the schema must exist ({@link PresenceSchema#create}). */
  public static PresenceStore open(CqlSession session, PresenceStoreConfig config) {
    return new PresenceStore(session, config);
  }

  /** Records that watchers were told the user is online. */
  public CompletionStage<Void> recordOnline(int partition, String userId, long sinceMs) {
    return both(
        session.executeAsync(markOnline.bind(userId)),
        session.executeAsync(addOnline.bind(partition, userId, sinceMs)));
  }

  /** Records that watchers were told the user is offline, last seen at {@code lastSeenMs}. */
  public CompletionStage<Void> recordOffline(int partition, String userId, long lastSeenMs) {
    return both(
        session.executeAsync(markOffline.bind(lastSeenMs, userId)),
        session.executeAsync(removeOnline.bind(partition, userId)));
  }

  public CompletionStage<StoredPresence> load(String userId) {
    return session.executeAsync(selectUser.bind(userId)).thenApply(rs -> {
      Row row = rs.one();
      if (row == null) {
        return StoredPresence.unknown(userId);
      }
      return new StoredPresence(userId, row.getBoolean("online"), row.getLong("last_seen_ms"),
          row.getBoolean("hidden"));
    });
  }

  /** The presence of each user, in the order given (duplicates included). */
  public CompletionStage<List<StoredPresence>> loadAll(List<String> userIds) {
    Map<String, CompletableFuture<StoredPresence>> reads = new LinkedHashMap<>();
    for (String userId : userIds) {
      reads.computeIfAbsent(userId, u -> load(u).toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<StoredPresence> result = new ArrayList<>(userIds.size());
      for (String userId : userIds) {
        result.add(reads.get(userId).join());
      }
      return result;
    });
  }

  public CompletionStage<Void> setHidden(String userId, boolean hidden) {
    return session.executeAsync(updateHidden.bind(hidden, userId)).thenApply(rs -> null);
  }

  /** The users last published online in the partition. */
  public CompletionStage<Set<String>> onlineIn(int partition) {
    Set<String> users = new HashSet<>();
    return AsyncRows.forEach(session.executeAsync(selectOnline.bind(partition)), row -> users.add(row.getString(0)))
        .thenApply(v -> users);
  }

  /** Every statement here may safely run twice, so the driver may retry it on another node. */
  private PreparedStatement prepare(PresenceStoreConfig config, String cql) {
    return session.prepare(
        SimpleStatement.newInstance(cql).setConsistencyLevel(config.consistency()).setIdempotent(true));
  }

  private static CompletionStage<Void> both(CompletionStage<?> a, CompletionStage<?> b) {
    return CompletableFuture.allOf(a.toCompletableFuture(), b.toCompletableFuture());
  }
}
