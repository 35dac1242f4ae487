package dev.messenger.common.health;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The probes of the three parts every service depends on, each a real request that needs an answer. */
public final class Probes {
  private static final SimpleStatement CQL_PING =
      SimpleStatement.newInstance("SELECT release_version FROM system.local").setIdempotent(true);
  private static final ByteSequence ETCD_PING_KEY = ByteSequence.from("/messenger-health-probe", StandardCharsets.UTF_8);

  private Probes() {}

  /** The probes of the parts given, by name ("nats", "etcd", "cql"); a null part is not probed. */
  public static Map<String, Probe> of(NatsEchoProbe nats, Client etcd, CqlSession cql) {
    Map<String, Probe> probes = new LinkedHashMap<>();
    if (nats != null) {
      probes.put("nats", nats);
    }
    if (etcd != null) {
      probes.put("etcd", etcd(etcd));
    }
    if (cql != null) {
      probes.put("cql", cql(cql));
    }
    return probes;
  }

  /** A linearizable read, which needs a reachable etcd member with a quorum behind it. */
  public static Probe etcd(Client etcd) {
    return () -> etcd.getKVClient().get(ETCD_PING_KEY, GetOption.builder().withCountOnly(true).build());
  }

  /** A read of the local node's row: the driver has a connection and a node answers. */
  public static Probe cql(CqlSession cql) {
    return () -> cql.executeAsync(CQL_PING);
  }
}
