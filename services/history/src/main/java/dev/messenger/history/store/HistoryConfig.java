package dev.messenger.history.store;

import dev.messenger.common.config.SharedDefaults;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.messenger.common.config.Settings;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where and how history lives in CQL.
 *
 * @param keyspace keyspace name, {@code [a-z][a-z0-9_]{0,47}}
 * @param replication CQL replication map used when the keyspace is created, e.g.
 *     {@code {'class': 'NetworkTopologyStrategy', 'dc1': 3}}
 * @param consistency QUORUM or LOCAL_QUORUM: reads, plain writes and the commit phase of conditional writes
 * @param serialConsistency SERIAL or LOCAL_SERIAL: the Paxos phase of conditional writes and serial reads
 */
public record HistoryConfig(
    String keyspace,
    String replication,
    DefaultConsistencyLevel consistency,
    DefaultConsistencyLevel serialConsistency) {

  public static final String DEFAULT_KEYSPACE = SharedDefaults.KEYSPACE;
  public static final String DEFAULT_REPLICATION = SharedDefaults.REPLICATION;

  private static final Pattern KEYSPACE = Pattern.compile("[a-z][a-z0-9_]{0,47}");
  private static final Set<DefaultConsistencyLevel> CONSISTENCIES =
      Set.of(DefaultConsistencyLevel.QUORUM, DefaultConsistencyLevel.LOCAL_QUORUM);
  private static final Set<DefaultConsistencyLevel> SERIAL_CONSISTENCIES =
      Set.of(DefaultConsistencyLevel.SERIAL, DefaultConsistencyLevel.LOCAL_SERIAL);

  public HistoryConfig {
    if (keyspace == null || keyspace.isBlank()) {
      keyspace = DEFAULT_KEYSPACE;
    }
    if (replication == null || replication.isBlank()) {
      replication = DEFAULT_REPLICATION;
    }
    if (consistency == null) {
      consistency = DefaultConsistencyLevel.QUORUM;
    }
    if (serialConsistency == null) {
      serialConsistency = DefaultConsistencyLevel.SERIAL;
    }
    if (!KEYSPACE.matcher(keyspace).matches()) {
      throw new IllegalArgumentException("keyspace must match " + KEYSPACE.pattern() + ": " + keyspace);
    }
    replication = replication.trim();
    if (!replication.startsWith("{") || !replication.endsWith("}") || replication.contains(";")) {
      throw new IllegalArgumentException("replication must be a CQL map such as " + DEFAULT_REPLICATION);
    }
    if (!CONSISTENCIES.contains(consistency)) {
      throw new IllegalArgumentException("consistency must be QUORUM or LOCAL_QUORUM: " + consistency);
    }
    if (!SERIAL_CONSISTENCIES.contains(serialConsistency)) {
      throw new IllegalArgumentException("serial consistency must be SERIAL or LOCAL_SERIAL: " + serialConsistency);
    }
  }

  /** Keyspace {@code messenger}, SimpleStrategy RF 1, QUORUM and SERIAL: a single local node. */
  public static HistoryConfig defaults() {
    return new HistoryConfig(null, null, null, null);
  }

  /** The defaults in another keyspace (tests use one keyspace per class). */
  public static HistoryConfig inKeyspace(String keyspace) {
    return new HistoryConfig(keyspace, null, null, null);
  }

  /**
   * Reads {@code cql-keyspace}, {@code cql-replication}, {@code cql-consistency} (QUORUM | LOCAL_QUORUM) and
   * {@code cql-serial-consistency} (SERIAL | LOCAL_SERIAL) as flags or MESSENGER_* environment variables.
   */
  public static HistoryConfig from(Settings settings) {
    return new HistoryConfig(
        settings.string("cql-keyspace", DEFAULT_KEYSPACE),
        settings.string("cql-replication", DEFAULT_REPLICATION),
        settings.get("cql-consistency").map(HistoryConfig::level).orElse(null),
        settings.get("cql-serial-consistency").map(HistoryConfig::level).orElse(null));
  }

  /** {@code keyspace.table}, for statement text. */
  public String table(String name) {
    return keyspace + "." + name;
  }

  private static DefaultConsistencyLevel level(String name) {
    try {
      return DefaultConsistencyLevel.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown consistency level: " + name, e);
    }
  }
}
