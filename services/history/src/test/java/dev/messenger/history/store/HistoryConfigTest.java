package dev.messenger.history.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import dev.messenger.common.config.UnknownSettingException;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.common.metrics.MetricsEndpoint;
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
        Settings.forService(ServiceName.HISTORY,
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
  void should_be_read_by_every_service_that_reads_it() {
    for (ServiceName service : new ServiceName[] {ServiceName.HISTORY, ServiceName.SESSION, ServiceName.ROUTER}) {
      Settings settings = Settings.forService(service, new String[0], Map.of());
      assertThat(HistoryConfig.from(settings)).isEqualTo(HistoryConfig.defaults());
    }
    Settings history = Settings.forService(ServiceName.HISTORY, new String[0], Map.of());
    InfraSettings.from(history);
    assertThat(MetricsEndpoint.host(history)).isEqualTo("127.0.0.1");
    history.duration("shutdown-grace", java.time.Duration.ofSeconds(10));
  }

  @Test
  void should_refuse_a_misspelled_setting_instead_of_ignoring_it() {
    assertThatThrownBy(() -> HistoryConfig.from(Settings.forService(ServiceName.HISTORY,
            new String[] {"--cql-keyspcae=chat"}, Map.of())))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("--cql-keyspcae (did you mean --cql-keyspace?)");
    assertThatThrownBy(() -> HistoryConfig.from(Settings.forService(ServiceName.HISTORY, new String[0],
            Map.of("MESSENGER_CQL_CONSISTENSY", "LOCAL_QUORUM"))))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("MESSENGER_CQL_CONSISTENSY (did you mean MESSENGER_CQL_CONSISTENCY?)");
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
    Settings settings = Settings.forService(ServiceName.HISTORY, new String[] {"--cql-consistency=mostly"}, Map.of());
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
