package dev.messenger.common.config;

/**
 * Defaults that several services must agree on. Each lives here once: two copies of one default drift
 * apart, and a deployment that sets nothing then breaks in ways no single service can see.
 */
public final class SharedDefaults {
  /** Router shards: session servers address {@code <ns>.submit.<shard>}, routers own shards in etcd. */
  public static final int ROUTER_SHARDS = 64;
  /** The CQL keyspace every service reads and writes. */
  public static final String KEYSPACE = "messenger";
  /** Replication of a keyspace a service creates: one copy, for a single node. */
  public static final String REPLICATION = "{'class': 'SimpleStrategy', 'replication_factor': 1}";

  private SharedDefaults() {}
}
