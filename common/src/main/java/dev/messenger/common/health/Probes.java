package dev.messenger.common.health;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The probes of the three parts every service depends on, each a real request that needs an answer. */
public final class Probes {
  private static final SimpleStatement CQL_PING =
      SimpleStatement.newInstance("SELECT release_version FROM system.local").setIdempotent(true);
  private static final ByteSequence ETCD_PING_KEY = ByteSequence.from("/messenger-health-probe", StandardCharsets.UTF_8);

  /** jnats' flush blocks: it waits on a thread of its own, not on a pool that others need. */
  private static final ExecutorService BLOCKING = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "nats-health-probe");
    thread.setDaemon(true);
    return thread;
  });

  private Probes() {}

  /** The probes of the parts given, by name ("nats", "etcd", "cql"); a null part is not probed. */
  public static Map<String, Probe> of(Connection nats, Client etcd, CqlSession cql) {
    Map<String, Probe> probes = new LinkedHashMap<>();
    if (nats != null) {
      probes.put("nats", nats(nats, Duration.ofSeconds(2)));
    }
    if (etcd != null) {
      probes.put("etcd", etcd(etcd));
    }
    if (cql != null) {
      probes.put("cql", cql(cql));
    }
    return probes;
  }

  /** A PING answered by the NATS server (a connection that is reconnecting or stalled fails it). */
  public static Probe nats(Connection nats, Duration timeout) {
    return () -> CompletableFuture.runAsync(() -> {
      try {
        nats.flush(timeout);
      } catch (Exception e) {
        throw new IllegalStateException("NATS did not answer a ping: " + e, e);
      }
    }, BLOCKING);
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
