package dev.messenger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfrastructureConfigTest {

  @Test
  void should_start_everything_in_a_temporary_directory_by_default() {
    InfrastructureConfig config = InfrastructureConfig.defaults();

    assertThat(config.startsEtcd()).isTrue();
    assertThat(config.startsNats()).isTrue();
    assertThat(config.startsCassandra()).isTrue();
    assertThat(config.dataDirectory()).isEmpty();
    assertThat(config.cassandraHeap()).isEqualTo("1g");
    assertThat(config.cqlLocalDatacenter()).isEqualTo("datacenter1");
    assertThat(config.jetStreamMaxMemoryBytes()).isEqualTo(256L << 20);
    assertThat(config.jetStreamMaxFileBytes()).isEqualTo(1L << 30);
    assertThat(config.startupTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.cassandraStartupTimeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void should_use_external_endpoints_from_the_environment() {
    InfrastructureConfig config = InfrastructureConfig.fromEnvironment(Map.of(
        "MESSENGER_ETCD_ENDPOINTS", "http://10.0.0.1:2379, http://10.0.0.2:2379",
        "MESSENGER_NATS_URL", "nats://10.0.0.3:4222",
        "MESSENGER_CQL_CONTACT_POINTS", "127.0.0.1:9042,[::1]:9043",
        "MESSENGER_CQL_DATACENTER", "eu-west",
        "MESSENGER_DATA_DIR", "/var/lib/messenger"));

    assertThat(config.externalEtcdEndpoints()).containsExactly("http://10.0.0.1:2379", "http://10.0.0.2:2379");
    assertThat(config.externalNatsUrl()).contains("nats://10.0.0.3:4222");
    assertThat(config.externalCqlContactPoints())
        .containsExactly(new InetSocketAddress("127.0.0.1", 9042), new InetSocketAddress("::1", 9043));
    assertThat(config.cqlLocalDatacenter()).isEqualTo("eu-west");
    assertThat(config.dataDirectory()).contains(Path.of("/var/lib/messenger"));
    assertThat(config.startsEtcd()).isFalse();
    assertThat(config.startsNats()).isFalse();
    assertThat(config.startsCassandra()).isFalse();
  }

  @Test
  void should_start_only_the_parts_the_environment_does_not_name() {
    InfrastructureConfig config =
        InfrastructureConfig.fromEnvironment(Map.of("MESSENGER_NATS_URL", "nats://127.0.0.1:4222", "MESSENGER_ETCD_ENDPOINTS", " "));

    assertThat(config.startsNats()).isFalse();
    assertThat(config.startsEtcd()).isTrue();
    assertThat(config.startsCassandra()).isTrue();
  }

  @Test
  void should_reject_a_contact_point_without_a_port() {
    assertThatThrownBy(() -> InfrastructureConfig.fromEnvironment(Map.of("MESSENGER_CQL_CONTACT_POINTS", "scylla")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MESSENGER_CQL_CONTACT_POINTS")
        .hasMessageContaining("host:port");
  }

  @Test
  void should_reject_a_malformed_heap() {
    assertThatThrownBy(() -> InfrastructureConfig.defaults().withCassandraHeap("512 MB"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cassandraHeap");
  }

  @Test
  void should_copy_with_a_data_directory_and_heap() {
    InfrastructureConfig config =
        InfrastructureConfig.defaults().withDataDirectory(Path.of("/data")).withCassandraHeap("1g");

    assertThat(config.dataDirectory()).contains(Path.of("/data"));
    assertThat(config.cassandraHeap()).isEqualTo("1g");
  }
}
