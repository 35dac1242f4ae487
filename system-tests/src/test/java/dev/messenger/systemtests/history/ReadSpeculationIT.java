package dev.messenger.systemtests.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.messenger.history.store.HistorySchema;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.presence.store.PresenceSchema;
import dev.messenger.presence.store.PresenceStoreConfig;
import dev.messenger.push.store.PushSchema;
import dev.messenger.push.store.PushStoreConfig;
import dev.messenger.testing.WithRealInfrastructure;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Every table of the product asks another replica for a read that one has not answered in 20 ms: created that
 * way, and set so on a keyspace made before (a cut store node held shard epoch reads up to a second without it).
 */
@WithRealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReadSpeculationIT {
  private HistoryFixture fixture;

  @BeforeAll
  void createStore(InfrastructureEndpoints endpoints) {
    fixture = HistoryFixture.create(endpoints);
    PresenceSchema.create(fixture.session, PresenceStoreConfig.inKeyspace(fixture.config.keyspace()));
    PushSchema.create(fixture.session, PushStoreConfig.inKeyspace(fixture.config.keyspace()));
  }

  @AfterAll
  void dropStore() {
    fixture.close();
  }

  @Test
  void should_create_every_table_with_a_read_speculated_after_20_ms() {
    Map<String, String> tables = speculativeRetryByTable();

    assertThat(tables).containsKeys("shard_epochs", "conversation_log", "user_messages", "presence_users",
        "push_devices");
    assertThat(tables).allSatisfy((table, value) -> assertThat(value).as(table).isEqualTo("20ms"));
  }

  @Test
  void should_set_it_on_a_table_made_before_when_the_schema_is_created_again() {
    fixture.session.execute(SimpleStatement.newInstance("ALTER TABLE " + fixture.config.keyspace()
        + ".shard_epochs WITH speculative_retry = '99p'").setTimeout(Duration.ofSeconds(60)));
    assertThat(speculativeRetryByTable()).containsEntry("shard_epochs", "99p");

    HistorySchema.create(fixture.session, fixture.config);

    assertThat(speculativeRetryByTable()).containsEntry("shard_epochs", "20ms");
  }

  private Map<String, String> speculativeRetryByTable() {
    Map<String, String> tables = new TreeMap<>();
    for (Row row : fixture.session.execute(SimpleStatement.newInstance(
        "SELECT table_name, speculative_retry FROM system_schema.tables WHERE keyspace_name = ?",
        fixture.config.keyspace()))) {
      tables.put(row.getString("table_name"), row.getString("speculative_retry"));
    }
    return tables;
  }
}
