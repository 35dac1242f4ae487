package dev.messenger.history.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.messenger.common.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryConfigTest {
  @Test
  void should_default_to_a_local_single_node_keyspace() {
    HistoryConfig config = HistoryConfig.defaults();

    assertThat(config.keyspace()).isEqualTo("messenger");
    assertThat(config.replication()).isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 1}");
    assertThat(config.consistency()).isEqualTo(DefaultConsistencyLevel.QUORUM);
    assertThat(config.serialConsistency()).isEqualTo(DefaultConsistencyLevel.SERIAL);
  }

  @Test
  void should_read_flags_and_environment() {
    Settings settings =
        Settings.of(
            new String[] {"--cql-keyspace=chat_prod", "--cql-consistency=local_quorum"},
            Map.of(
                "MESSENGER_CQL_REPLICATION", "{'class': 'NetworkTopologyStrategy', 'dc1': 3}",
                "MESSENGER_CQL_SERIAL_CONSISTENCY", "LOCAL_SERIAL"));

    HistoryConfig config = HistoryConfig.from(settings);

    assertThat(config.keyspace()).isEqualTo("chat_prod");
    assertThat(config.replication()).isEqualTo("{'class': 'NetworkTopologyStrategy', 'dc1': 3}");
    assertThat(config.consistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
    assertThat(config.serialConsistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_SERIAL);
    assertThat(config.table("user_messages")).isEqualTo("chat_prod.user_messages");
  }

  @Test
  void should_reject_unsafe_keyspace_names() {
    for (String bad : new String[] {"Messenger", "1abc", "a-b", "a;drop", "a".repeat(49)}) {
      assertThatThrownBy(() -> HistoryConfig.inKeyspace(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(HistoryConfig.inKeyspace("a".repeat(48)).keyspace()).hasSize(48);
  }

  @Test
  void should_reject_bad_replication_and_consistency() {
    assertThatThrownBy(() -> new HistoryConfig("k", "SimpleStrategy", null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HistoryConfig("k", "{'a': 1}; DROP KEYSPACE k", null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HistoryConfig("k", null, DefaultConsistencyLevel.ONE, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HistoryConfig("k", null, null, DefaultConsistencyLevel.QUORUM))
        .isInstanceOf(IllegalArgumentException.class);
    Settings settings = Settings.of(new String[] {"--cql-consistency=mostly"}, Map.of());
    assertThatThrownBy(() -> HistoryConfig.from(settings)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_create_the_keyspace_with_the_configured_replication() {
    HistoryConfig config = new HistoryConfig("chat", "{'class': 'NetworkTopologyStrategy', 'dc1': 3}", null, null);

    assertThat(HistorySchema.statements(config).get(0))
        .isEqualTo("CREATE KEYSPACE IF NOT EXISTS chat WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}");
    assertThat(HistorySchema.statements(config)).allSatisfy(ddl -> assertThat(ddl).contains("IF NOT EXISTS"));
  }
}
