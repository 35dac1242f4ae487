package dev.messenger.common.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a store node that coordinates a read waits for a replica before it asks another one as well: a
 * fixed 20 ms on every table of the product ({@code speculative_retry}, plain CQL for ScyllaDB and Cassandra).
 *
 * <p>The default waits for the table's own 99th percentile, and that percentile is made of the very reads that
 * waited: with one node of three cut off, a quorum read that chose it waited longer each second, the shard
 * epoch read on the acknowledgement path took 0.4-1 s, and delivery stalled until the node came back (its peers
 * had not yet judged it down). A read slower than 20 ms asks the third replica at most once.
 */
public final class ReadSpeculation {
  private static final Logger log = LoggerFactory.getLogger(ReadSpeculation.class);
  static final String AFTER = "20ms";
  private static final String OPTION = "speculative_retry = '" + AFTER + "'";
  private static final Pattern CREATE_TABLE = Pattern.compile("^CREATE TABLE IF NOT EXISTS (\\w+)\\.(\\w+) \\(");
  private static final Pattern MILLIS = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)\\s*ms$");
  private static final SimpleStatement CURRENT = SimpleStatement.newInstance(
      "SELECT table_name, speculative_retry FROM system_schema.tables WHERE keyspace_name = ?");

  private ReadSpeculation() {}

  /** {@code ddl} with the option added when it creates a table; any other statement unchanged. */
  public static String withOption(String ddl) {
    if (!CREATE_TABLE.matcher(ddl).find()) {
      return ddl;
    }
    return ddl + (ddl.contains(") WITH ") ? " AND " : " WITH ") + OPTION;
  }

  /**
   * Sets the option on each table {@code statements} create whose stored value differs (tables made before it
   * existed), one schema change at a time; returns the tables changed as {@code keyspace.table}.
   */
  public static List<String> applyToExisting(CqlSession session, SchemaChanges changes, List<String> statements) {
    Map<String, Map<String, String>> storedByKeyspace = new HashMap<>();
    List<String> changed = new ArrayList<>();
    for (String ddl : statements) {
      Matcher table = CREATE_TABLE.matcher(ddl);
      if (!table.find()) {
        continue;
      }
      String stored = storedByKeyspace.computeIfAbsent(table.group(1), keyspace -> stored(session, keyspace))
          .get(table.group(2));
      if (stored != null && !isOurs(stored)) {
        String name = table.group(1) + "." + table.group(2);
        changes.apply("ALTER TABLE " + name + " WITH " + OPTION);
        log.info("table {} now asks another replica after {}", name, AFTER);
        changed.add(name);
      }
    }
    return changed;
  }

  /** Each table of the keyspace and its stored value, in one read. */
  private static Map<String, String> stored(CqlSession session, String keyspace) {
    Map<String, String> byTable = new HashMap<>();
    for (Row row : session.execute(CURRENT.setPositionalValues(List.of(keyspace)))) {
      byTable.put(row.getString("table_name"), row.getString("speculative_retry"));
    }
    return byTable;
  }

  /** Whether a stored value is the fixed 20 ms, however the store spells it ("20ms", "20.00ms"). */
  static boolean isOurs(String stored) {
    Matcher millis = MILLIS.matcher(stored == null ? "" : stored.trim().toLowerCase(Locale.ROOT));
    return millis.find() && Double.parseDouble(millis.group(1)) == 20.0;
  }
}
