package dev.messenger.presence.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates presence's keyspace (if history has not yet) and tables when missing. Plain CQL for ScyllaDB and
 * Cassandra alike.
 */
public final class PresenceSchema {
  private static final Logger log = LoggerFactory.getLogger(PresenceSchema.class);
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration AGREEMENT_TIMEOUT = Duration.ofSeconds(60);

  private PresenceSchema() {}

  /** The statements {@link #create} runs, in order. */
  public static List<String> statements(PresenceStoreConfig config) {
    return List.of(
        "CREATE KEYSPACE IF NOT EXISTS " + config.keyspace() + " WITH replication = " + config.replication(),
        // What watchers were last told of each user, and whether the user hides.
        "CREATE TABLE IF NOT EXISTS " + config.table("presence_users") + " ("
            + "user_id text PRIMARY KEY, online boolean, last_seen_ms bigint, hidden boolean)",
        // Users last published online, by presence partition: what a new owner must clear if they are gone.
        "CREATE TABLE IF NOT EXISTS " + config.table("presence_online") + " ("
            + "partition_id int, user_id text, since_ms bigint, PRIMARY KEY ((partition_id), user_id))");
  }

  /** Creates whatever is missing and waits for schema agreement. Blocking: call on start. */
  public static void create(CqlSession session, PresenceStoreConfig config) {
    for (String ddl : statements(config)) {
      ResultSet result = session.execute(SimpleStatement.newInstance(ddl).setTimeout(DDL_TIMEOUT));
      if (!result.getExecutionInfo().isSchemaInAgreement()) {
        long deadline = System.nanoTime() + AGREEMENT_TIMEOUT.toNanos();
        while (!session.checkSchemaAgreement()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("no schema agreement after " + AGREEMENT_TIMEOUT);
          }
        }
      }
    }
    log.info("presence schema ready in keyspace {}", config.keyspace());
  }
}
