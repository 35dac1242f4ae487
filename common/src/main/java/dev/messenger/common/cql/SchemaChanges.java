package dev.messenger.common.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Runs schema statements one at a time and waits after each until every node that answers has applied it.
 *
 * <p>The driver's own agreement check compares the versions one node has heard of through gossip: a node that
 * has not yet heard of the change reports every peer at the old version, and "agreement" is found before the
 * change has spread (a three-node cluster then answered a prepare with "table does not exist"). Here every node
 * is asked for its own {@code system.local} schema version; the coordinator of the change has applied it, so
 * one version across all nodes means all have.
 */
public final class SchemaChanges {
  private static final SimpleStatement LOCAL_VERSION =
      SimpleStatement.newInstance("SELECT schema_version FROM system.local").setTimeout(Duration.ofSeconds(5));
  private static final Duration POLL = Duration.ofMillis(100);

  private final CqlSession session;
  private final Duration ddlTimeout;
  private final Duration settleTimeout;

  public SchemaChanges(CqlSession session, Duration ddlTimeout, Duration settleTimeout) {
    this.session = session;
    this.ddlTimeout = ddlTimeout;
    this.settleTimeout = settleTimeout;
  }

  /** A minute for a statement, a minute for it to reach every node. */
  public static SchemaChanges of(CqlSession session) {
    return new SchemaChanges(session, Duration.ofSeconds(60), Duration.ofSeconds(60));
  }

  /** Runs {@code ddl} and returns once every node that answers has applied it. Blocking. */
  public void apply(String ddl) {
    session.execute(SimpleStatement.newInstance(ddl).setTimeout(ddlTimeout));
    awaitOneVersion();
  }

  /** Returns once every node that answers reports the same schema version; throws after the timeout. */
  public void awaitOneVersion() {
    long deadline = System.nanoTime() + settleTimeout.toNanos();
    Set<UUID> versions = versions();
    while (versions.size() > 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the nodes still report " + versions.size() + " schema versions after "
            + settleTimeout + ": " + versions);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the schema to settle", e);
      }
      versions = versions();
    }
  }

  /** Each answering node's own version; a node that is down or does not answer pulls the schema when back. */
  private Set<UUID> versions() {
    Set<UUID> versions = new HashSet<>();
    for (Node node : session.getMetadata().getNodes().values()) {
      if (node.getState() != NodeState.UP) {
        continue;
      }
      try {
        Row row = session.execute(LOCAL_VERSION.setNode(node)).one();
        if (row != null) {
          versions.add(row.getUuid("schema_version"));
        }
      } catch (DriverException notAnswering) {
        // counted as down for this round
      }
    }
    return versions;
  }
}
