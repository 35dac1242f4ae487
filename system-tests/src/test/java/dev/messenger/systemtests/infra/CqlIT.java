package dev.messenger.systemtests.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@WithRealInfrastructure
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CqlIT {
  private static final String KEYSPACE = "infra_it";

  private static CqlSession session;
  private static String localDatacenter;

  @BeforeAll
  static void connect(InfrastructureEndpoints endpoints) {
    localDatacenter = endpoints.cqlLocalDatacenter();
    session = CqlSession.builder()
        .addContactPoints(endpoints.cqlContactPoints())
        .withLocalDatacenter(endpoints.cqlLocalDatacenter())
        .build();
    session.execute("CREATE KEYSPACE IF NOT EXISTS " + KEYSPACE
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    session.execute("CREATE TABLE IF NOT EXISTS " + KEYSPACE + ".notes (id uuid PRIMARY KEY, body text, version int)");
  }

  @AfterAll
  static void disconnect() {
    session.close();
  }

  @Test
  void should_read_back_a_written_row() {
    UUID id = UUID.randomUUID();

    session.execute(session.prepare("INSERT INTO " + KEYSPACE + ".notes (id, body, version) VALUES (?, ?, ?)")
        .bind(id, "hello scylla", 3));
    Row row = session.execute(session.prepare("SELECT body, version FROM " + KEYSPACE + ".notes WHERE id = ?")
        .bind(id)).one();

    assertThat(row).isNotNull();
    assertThat(row.getString("body")).isEqualTo("hello scylla");
    assertThat(row.getInt("version")).isEqualTo(3);
  }

  @Test
  void should_talk_to_the_local_datacenter() {
    Row local = session.execute("SELECT data_center, release_version FROM system.local").one();

    assertThat(local).isNotNull();
    assertThat(local.getString("data_center")).isEqualTo(localDatacenter);
  }
}
