package dev.messenger.history.store;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.cql.ReadSpeculation;
import dev.messenger.common.cql.SchemaChanges;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the history keyspace and tables when they are missing. Plain CQL that runs unchanged on ScyllaDB
 * and Cassandra: no materialized views, no secondary or SASI indexes. Run it from one process at a time (the
 * history service on start): concurrent DDL from several nodes can disagree on schema.
 */
public final class HistorySchema {
  private static final Logger log = LoggerFactory.getLogger(HistorySchema.class);
  /** Marks are read for the last two hours only; two days leaves room for a long outage of the store. */
  private static final int PROJECTION_MARK_TTL_SECONDS = 2 * 24 * 3600;

  private HistorySchema() {}

  /** The statements {@link #create} runs, in order. */
  public static List<String> statements(HistoryConfig config) {
    String ks = config.keyspace();
    return Stream.of(
        "CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = " + config.replication(),
        "CREATE TABLE IF NOT EXISTS " + ks + ".conversation_log ("
            + "conversation_id text, bucket bigint, seq bigint, "
            + messageColumns()
            + "PRIMARY KEY ((conversation_id, bucket), seq)) WITH CLUSTERING ORDER BY (seq ASC)",
        "CREATE TABLE IF NOT EXISTS " + ks + ".conversations ("
            + "conversation_id text PRIMARY KEY, kind int, members set<text>, title text, created_ms bigint, "
            + "last_seq bigint, projected_seq bigint)",
        "CREATE TABLE IF NOT EXISTS " + ks + ".client_message_ids ("
            + "conversation_id text, sender_user_id text, client_message_id text, seq bigint, message_id text, "
            + "server_time_ms bigint, PRIMARY KEY ((conversation_id, sender_user_id), client_message_id))",
        "CREATE TABLE IF NOT EXISTS " + ks + ".shard_epochs (shard int PRIMARY KEY, epoch bigint, owner text)",
        "CREATE TABLE IF NOT EXISTS " + ks + ".projection_marks ("
            + "shard int, hour bigint, conversation_id text, PRIMARY KEY ((shard, hour), conversation_id)) "
            + "WITH default_time_to_live = " + PROJECTION_MARK_TTL_SECONDS,
        "CREATE TABLE IF NOT EXISTS " + ks + ".user_messages ("
            + "user_id text, conversation_id text, bucket bigint, seq bigint, "
            + messageColumns()
            + "PRIMARY KEY ((user_id, conversation_id, bucket), seq)) WITH CLUSTERING ORDER BY (seq ASC)",
        "CREATE TABLE IF NOT EXISTS " + ks + ".user_conversations ("
            + "user_id text, conversation_id text, kind int, peer_user_id text, title text, last_seq bigint, "
            + "last_message blob, last_time_ms bigint, read_seq bigint, PRIMARY KEY ((user_id), conversation_id))",
        "CREATE TABLE IF NOT EXISTS " + ks + ".user_changes ("
            + "user_id text, hour bigint, conversation_id text, last_seq bigint, "
            + "PRIMARY KEY ((user_id, hour), conversation_id)) WITH default_time_to_live = "
            + UserChanges.KEPT.toSeconds(),
        "CREATE TABLE IF NOT EXISTS " + ks + ".device_cursors ("
            + "user_id text, device_id text, conversation_id text, delivered_seq bigint, "
            + "PRIMARY KEY ((user_id), device_id, conversation_id))",
        "CREATE TABLE IF NOT EXISTS " + ks + ".group_members ("
            + "conversation_id text, user_id text, role int, since_seq bigint, "
            + "title text static, created_ms bigint static, version bigint static, "
            + "PRIMARY KEY ((conversation_id), user_id))",
        "CREATE TABLE IF NOT EXISTS " + ks + ".group_receipts ("
            + "conversation_id text, user_id text, delivered_seq bigint, read_seq bigint, "
            + "PRIMARY KEY ((conversation_id), user_id))")
        .map(ReadSpeculation::withOption)
        .toList();
  }

  /**
   * Columns added after a table first shipped: {@link #create} adds each to a keyspace made before it and
   * ignores the error of one that has it already ({@code ADD IF NOT EXISTS} is not portable to ScyllaDB).
   */
  public static List<String> addedColumns(HistoryConfig config) {
    String ks = config.keyspace();
    return List.of(
        "ALTER TABLE " + ks + ".conversation_log ADD group_change blob",
        "ALTER TABLE " + ks + ".user_messages ADD group_change blob",
        "ALTER TABLE " + ks + ".conversations ADD sealed_epoch bigint",
        "ALTER TABLE " + ks + ".conversations ADD sealed_head bigint");
  }

  /** Creates whatever is missing; returns once every node has it. Blocking: call on start. */
  public static void create(CqlSession session, HistoryConfig config) {
    SchemaChanges changes = SchemaChanges.of(session);
    List<String> statements = statements(config);
    statements.forEach(changes::apply);
    ReadSpeculation.applyToExisting(session, changes, statements);
    for (String ddl : addedColumns(config)) {
      try {
        changes.apply(ddl);
      } catch (com.datastax.oss.driver.api.core.servererrors.InvalidQueryException alreadyThere) {
        log.debug("column already present: {}", alreadyThere.getMessage());
      }
    }
    log.info("history schema ready in keyspace {}", config.keyspace());
  }

  private static String messageColumns() {
    return "message_id text, sender_user_id text, sender_device_id text, client_message_id text, body text, "
        + "server_time_ms bigint, kind int, group_change blob, ";
  }
}
