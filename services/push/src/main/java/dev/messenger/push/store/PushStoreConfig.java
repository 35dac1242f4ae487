package dev.messenger.push.store;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.messenger.common.config.Settings;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where push keeps its durable state: the same keyspace as history (whose device_cursors and
 * user_conversations push reads), so the flags are history's.
 *
 * @param keyspace keyspace name, {@code [a-z][a-z0-9_]{0,47}}
 * @param replication CQL replication map used if push creates the keyspace
 * @param consistency QUORUM or LOCAL_QUORUM for reads and writes
 */
public record PushStoreConfig(String keyspace, String replication, DefaultConsistencyLevel consistency) {
  public static final String DEFAULT_KEYSPACE = "messenger";
  public static final String DEFAULT_REPLICATION = "{'class': 'SimpleStrategy', 'replication_factor': 1}";

  private static final Pattern KEYSPACE = Pattern.compile("[a-z][a-z0-9_]{0,47}");
  private static final Set<DefaultConsistencyLevel> CONSISTENCIES =
      Set.of(DefaultConsistencyLevel.QUORUM, DefaultConsistencyLevel.LOCAL_QUORUM);

  public PushStoreConfig {
    if (keyspace == null || keyspace.isBlank()) {
      keyspace = DEFAULT_KEYSPACE;
    }
    if (replication == null || replication.isBlank()) {
      replication = DEFAULT_REPLICATION;
    }
    if (consistency == null) {
      consistency = DefaultConsistencyLevel.QUORUM;
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
  }

  public static PushStoreConfig defaults() {
    return new PushStoreConfig(null, null, null);
  }

  public static PushStoreConfig inKeyspace(String keyspace) {
    return new PushStoreConfig(keyspace, null, null);
  }

  /** Reads {@code cql-keyspace}, {@code cql-replication} and {@code cql-consistency}. */
  public static PushStoreConfig from(Settings settings) {
    return new PushStoreConfig(
        settings.string("cql-keyspace", DEFAULT_KEYSPACE),
        settings.string("cql-replication", DEFAULT_REPLICATION),
        settings.get("cql-consistency")
            .map(v -> DefaultConsistencyLevel.valueOf(v.trim().toUpperCase(Locale.ROOT)))
            .orElse(null));
  }

  String table(String name) {
    return keyspace + "." + name;
  }
}
