package dev.messenger.push.store;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.cql.ReadSpeculation;
import dev.messenger.common.cql.SchemaChanges;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates push's tables (and the keyspace, if history has not yet) when missing. Plain CQL for ScyllaDB and
 * Cassandra alike; every statement is idempotent.
 */
public final class PushSchema {
  private static final Logger log = LoggerFactory.getLogger(PushSchema.class);

  private PushSchema() {}

  /** The statements {@link #create} runs, in order. */
  public static List<String> statements(PushStoreConfig config) {
    return Stream.of(
        "CREATE KEYSPACE IF NOT EXISTS " + config.keyspace() + " WITH replication = " + config.replication(),
        // One registration per device; registered_ms tells a re-registration from the token a send used.
        "CREATE TABLE IF NOT EXISTS " + config.table("push_devices") + " ("
            + "user_id text, device_id text, platform int, apns_environment int, device_token text, app_id text, "
            + "registered_ms bigint, PRIMARY KEY ((user_id), device_id))",
        "CREATE TABLE IF NOT EXISTS " + config.table("push_mutes") + " ("
            + "user_id text, conversation_id text, muted_until_ms bigint, PRIMARY KEY ((user_id), conversation_id))",
        "CREATE TABLE IF NOT EXISTS " + config.table("push_preferences") + " ("
            + "user_id text PRIMARY KEY, show_previews boolean)",
        // Max-registers written USING TIMESTAMP <seq>: the last seq queued for the device, the last it was told of.
        "CREATE TABLE IF NOT EXISTS " + config.table("push_device_conversations") + " ("
            + "user_id text, device_id text, conversation_id text, queued_seq bigint, notified_seq bigint, "
            + "PRIMARY KEY ((user_id, device_id), conversation_id))",
        "CREATE TABLE IF NOT EXISTS " + config.table("push_dead_letters") + " ("
            + "user_id text, device_id text, conversation_id text, seq bigint, provider text, reason text, "
            + "attempts int, failed_ms bigint, PRIMARY KEY ((user_id), device_id, conversation_id, seq))")
        .map(ReadSpeculation::withOption)
        .toList();
  }

  /** Creates whatever is missing; returns once every node has it. Blocking: call on start. */
  public static void create(CqlSession session, PushStoreConfig config) {
    SchemaChanges changes = SchemaChanges.of(session);
    List<String> statements = statements(config);
    statements.forEach(changes::apply);
    ReadSpeculation.applyToExisting(session, changes, statements);
    log.info("push schema ready in keyspace {}", config.keyspace());
  }
}
