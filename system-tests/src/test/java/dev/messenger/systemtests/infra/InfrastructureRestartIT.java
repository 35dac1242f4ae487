package dev.messenger.systemtests.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.messenger.launcher.Infrastructure;
import dev.messenger.launcher.InfrastructureConfig;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's kill -9 of etcd, NATS and the CQL store: each part comes back on the same address with
 * what it had acknowledged. Cassandra's shortcut of not flushing its schema tables (unsafesystem) made a
 * killed node come back without the schema and drop every logged write to the tables as "unknown".
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class InfrastructureRestartIT {
  @TempDir static Path data;

  private static Infrastructure infrastructure;

  @BeforeAll
  static void start() {
    infrastructure = Infrastructure.start(InfrastructureConfig.defaults().withDataDirectory(data)
        .withCassandraHeap("512m"));
  }

  @AfterAll
  static void stop() {
    if (infrastructure != null) {
      infrastructure.close();
    }
  }

  @Test
  void should_keep_the_schema_and_every_acknowledged_row_when_the_store_is_killed() {
    try (CqlSession cql = CqlSession.builder()
        .addContactPoints(infrastructure.endpoints().cqlContactPoints())
        .withLocalDatacenter(infrastructure.endpoints().cqlLocalDatacenter())
        .build()) {
      cql.execute("CREATE KEYSPACE restart_it WITH replication = {'class': 'SimpleStrategy', "
          + "'replication_factor': 1}");
      cql.execute("CREATE TABLE restart_it.notes (id int PRIMARY KEY, body text)");
      PreparedStatement insert = cql.prepare("INSERT INTO restart_it.notes (id, body) VALUES (?, ?)");
      for (int i = 0; i < 500; i++) {
        cql.execute(insert.bind(i, "note " + i));
      }
      long pid = infrastructure.localParts().get(Infrastructure.CASSANDRA);

      Infrastructure.PartRestart restart = infrastructure.restart(Infrastructure.CASSANDRA, true);

      assertThat(restart.oldPid()).isEqualTo(pid);
      assertThat(restart.newPid()).isNotEqualTo(pid);
      assertThat(infrastructure.unexpectedExit()).as("a restart is not a crash").isNotDone();
      long rows = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> cql.execute("SELECT count(*) FROM restart_it.notes").one().getLong(0), n -> n >= 0);
      assertThat(rows).isEqualTo(500);
      assertThat(cql.execute("SELECT body FROM restart_it.notes WHERE id = 499").one().getString(0))
          .isEqualTo("note 499");
    }
  }

  @Test
  void should_keep_etcd_keys_and_serve_nats_again_on_the_same_address_after_a_kill() throws Exception {
    ByteSequence key = ByteSequence.from("restart-it", StandardCharsets.UTF_8);
    try (Client etcd = Client.builder()
        .endpoints(infrastructure.endpoints().etcdEndpoints().toArray(String[]::new)).build()) {
      etcd.getKVClient().put(key, ByteSequence.from("kept", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);

      infrastructure.restart(Infrastructure.ETCD, true);

      String value = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(
          () -> etcd.getKVClient().get(key).get(2, TimeUnit.SECONDS).getKvs().get(0).getValue()
              .toString(StandardCharsets.UTF_8), v -> true);
      assertThat(value).isEqualTo("kept");
    }

    Connection nats = Nats.connect(new Options.Builder().server(infrastructure.endpoints().natsUrl())
        .maxReconnects(-1).reconnectWait(Duration.ofMillis(100)).build());
    try {
      infrastructure.restart(Infrastructure.NATS, true);

      await().atMost(Duration.ofSeconds(30)).until(() -> nats.getStatus() == Connection.Status.CONNECTED);
      Subscription subscription = nats.subscribe("restart-it");
      nats.flush(Duration.ofSeconds(5));
      nats.publish("restart-it", "after".getBytes(StandardCharsets.UTF_8));
      assertThat(subscription.nextMessage(Duration.ofSeconds(5))).isNotNull()
          .satisfies(m -> assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("after"));
    } finally {
      nats.close();
    }
    assertThat(infrastructure.unexpectedExit()).isNotDone();
  }
}
