package dev.messenger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfrastructureEndpointsTest {
  private final InfrastructureEndpoints endpoints = new InfrastructureEndpoints(
      List.of("http://127.0.0.1:2379", "http://127.0.0.1:2380"),
      "nats://127.0.0.1:4222",
      List.of(new InetSocketAddress("127.0.0.1", 9042), new InetSocketAddress("::1", 9043)),
      "datacenter1");

  @Test
  void should_write_the_messenger_variables() {
    assertThat(endpoints.toEnvironment()).containsExactly(
        Map.entry("MESSENGER_ETCD_ENDPOINTS", "http://127.0.0.1:2379,http://127.0.0.1:2380"),
        Map.entry("MESSENGER_NATS_URL", "nats://127.0.0.1:4222"),
        Map.entry("MESSENGER_CQL_CONTACT_POINTS", "127.0.0.1:9042,[0:0:0:0:0:0:0:1]:9043"),
        Map.entry("MESSENGER_CQL_DATACENTER", "datacenter1"));
  }

  @Test
  void should_read_back_what_it_wrote() {
    assertThat(InfrastructureEndpoints.fromEnvironment(endpoints.toEnvironment())).contains(endpoints);
  }

  @Test
  void should_default_the_datacenter() {
    assertThat(InfrastructureEndpoints.fromEnvironment(Map.of(
            "MESSENGER_ETCD_ENDPOINTS", "http://127.0.0.1:2379",
            "MESSENGER_NATS_URL", "nats://127.0.0.1:4222",
            "MESSENGER_CQL_CONTACT_POINTS", "127.0.0.1:9042")))
        .hasValueSatisfying(read -> assertThat(read.cqlLocalDatacenter()).isEqualTo("datacenter1"));
  }

  @Test
  void should_be_empty_unless_every_part_is_given() {
    assertThat(InfrastructureEndpoints.fromEnvironment(Map.of(
            "MESSENGER_ETCD_ENDPOINTS", "http://127.0.0.1:2379",
            "MESSENGER_NATS_URL", "nats://127.0.0.1:4222")))
        .isEmpty();
    assertThat(InfrastructureEndpoints.fromEnvironment(Map.of())).isEmpty();
  }

  @Test
  void should_require_etcd_and_cql_endpoints() {
    assertThatThrownBy(() -> new InfrastructureEndpoints(
            List.of(), "nats://127.0.0.1:4222", List.of(new InetSocketAddress("127.0.0.1", 9042)), "dc"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
