package dev.messenger.presence.store;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.common.cql.ReadSpeculation;
import dev.messenger.common.cql.SchemaChanges;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates presence's keyspace (if history has not yet) and tables when missing. Plain CQL for ScyllaDB and
 * Cassandra alike.
 */
public final class PresenceSchema {
  private static final Logger log = LoggerFactory.getLogger(PresenceSchema.class);

  private PresenceSchema() {}

  /** The statements {@link #create} runs, in order. */
  public static List<String> statements(PresenceStoreConfig config) {
    return Stream.of(
        "CREATE KEYSPACE IF NOT EXISTS " + config.keyspace() + " WITH replication = " + config.replication(),
        // What watchers were last told of each user, and whether the user hides.
        "CREATE TABLE IF NOT EXISTS " + config.table("presence_users") + " ("
            + "user_id text PRIMARY KEY, online boolean, last_seen_ms bigint, hidden boolean)",
        // Users last published online, by presence partition: what a new owner must clear if they are gone.
        "CREATE TABLE IF NOT EXISTS " + config.table("presence_online") + " ("
            + "partition_id int, user_id text, since_ms bigint, PRIMARY KEY ((partition_id), user_id))")
        .map(ReadSpeculation::withOption)
        .toList();
  }

  /** Creates whatever is missing; returns once every node has it. Blocking: call on start. */
  public static void create(CqlSession session, PresenceStoreConfig config) {
    SchemaChanges changes = SchemaChanges.of(session);
    List<String> statements = statements(config);
    statements.forEach(changes::apply);
    ReadSpeculation.applyToExisting(session, changes, statements);
    log.info("presence schema ready in keyspace {}", config.keyspace());
  }
}
