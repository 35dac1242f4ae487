package dev.messenger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InternalAuthConfigurationTest {
  private static final Login NATS = new Login("messenger", "natsSecret1");
  private static final Login CQL = new Login("messenger", "cqlSecret2");
  private static final Login ETCD = new Login("messenger", "etcdSecret3");

  @Test
  void should_leave_authentication_off_by_default() {
    assertThat(InfrastructureConfig.defaults().authentication()).isFalse();
    assertThat(InfrastructureConfig.fromEnvironment(Map.of()).authentication()).isFalse();
    assertThat(NatsServer.config(4222, 8222, Path.of("/tmp/n"), 1, 2)).doesNotContain("authorization");
    assertThat(NatsServer.cluster(0, new int[] {6222, 6223})).doesNotContain("authorization", "@");
    assertThat(CassandraYaml.render(Path.of("/tmp/c"), 7000, 9042)).doesNotContain("authenticator", "authorizer");
  }

  @Test
  void should_keep_authentication_through_the_other_copies() {
    InfrastructureConfig config = InfrastructureConfig.defaults().withAuthentication().withNodes(3)
        .withCassandraHeap("768m").withDataDirectory(Path.of("/tmp/d"));

    assertThat(config.authentication()).isTrue();
  }

  @Test
  void should_make_nats_clients_log_in_but_leave_the_health_check_open() {
    NatsAuthorization authorization = NatsAuthorization.generate("msgr");
    String config = NatsServer.config(4222, 8222, Path.of("/tmp/n"), 1, 2, Optional.of(authorization));

    assertThat(config)
        .startsWith(authorization.render())
        .contains("http: \"127.0.0.1:8222\"\n");
  }

  @Test
  void should_make_cluster_routes_present_the_login_they_require() {
    String cluster = NatsServer.cluster(1, new int[] {6222, 6223, 6224}, Optional.of(NATS));

    assertThat(cluster)
        .contains("  authorization {\n    user: \"messenger\"\n    password: \"natsSecret1\"\n  }\n")
        .contains("\"nats://messenger:natsSecret1@127.0.0.11:6222\"", "\"nats://messenger:natsSecret1@127.0.0.13:6224\"")
        .doesNotContain("6223\"\n    \"")
        .contains("listen: \"127.0.0.12:6223\"");
  }

  @Test
  void should_end_the_etcd_range_of_a_namespace_right_after_its_keys() {
    assertThat(EtcdAuthentication.prefixEnd("/msgr/")).isEqualTo("/msgr0");
    assertThat("/msgr/routers/r1").isBetween("/msgr/", "/msgr0");
    assertThat("/msgr-other/routers/r1").isLessThan("/msgr/");
    assertThat("/msgr0").isGreaterThanOrEqualTo(EtcdAuthentication.prefixEnd("/msgr/"));
  }

  @Test
  void should_refuse_a_namespace_the_services_would_refuse() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Infrastructure.requireNamespace("msgr/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Infrastructure.requireNamespace("blue-2")).isEqualTo("blue-2");
  }

  @Test
  void should_make_cassandra_require_a_login_and_check_permissions() {
    String single = CassandraYaml.render(Path.of("/tmp/c"), 7000, 9042, true);
    String member = CassandraYaml.renderMember(Path.of("/tmp/c2"), "127.0.0.2", "127.0.0.1:7000", 7000, 9042, 0L,
        true);

    for (String yaml : List.of(single, member)) {
      assertThat(yaml)
          .contains("authenticator:\n  class_name: org.apache.cassandra.auth.PasswordAuthenticator\n")
          .contains("authorizer:\n  class_name: org.apache.cassandra.auth.CassandraAuthorizer\n");
    }
  }

  @Test
  void should_hand_the_logins_to_services_and_read_them_back() {
    InfrastructureEndpoints endpoints = new InfrastructureEndpoints(List.of("http://127.0.0.1:2379"),
        "nats://127.0.0.1:4222", List.of(new InetSocketAddress("127.0.0.1", 9042)), "datacenter1",
        Optional.of(NATS), Optional.of(CQL), Optional.of(ETCD));

    assertThat(endpoints.toEnvironment())
        .containsEntry("MESSENGER_NATS_USER", "messenger")
        .containsEntry("MESSENGER_NATS_PASSWORD", "natsSecret1")
        .containsEntry("MESSENGER_CQL_USER", "messenger")
        .containsEntry("MESSENGER_CQL_PASSWORD", "cqlSecret2")
        .containsEntry("MESSENGER_ETCD_USER", "messenger")
        .containsEntry("MESSENGER_ETCD_PASSWORD", "etcdSecret3");
    assertThat(InfrastructureEndpoints.fromEnvironment(endpoints.toEnvironment())).contains(endpoints);
  }

  @Test
  void should_never_print_a_password() {
    InfrastructureEndpoints endpoints = new InfrastructureEndpoints(List.of("http://127.0.0.1:2379"),
        "nats://127.0.0.1:4222", List.of(new InetSocketAddress("127.0.0.1", 9042)), "datacenter1",
        Optional.of(NATS), Optional.of(CQL), Optional.of(ETCD));

    assertThat(endpoints.toString()).contains("messenger").doesNotContain("natsSecret1", "cqlSecret2", "etcdSecret3");
  }

  @Test
  void should_generate_passwords_that_need_no_quoting_and_differ() {
    Login first = Login.generate("messenger");
    Login second = Login.generate("messenger");

    assertThat(first.password()).matches("[A-Za-z0-9]{32}");
    assertThat(first.password()).isNotEqualTo(second.password());
  }
}
