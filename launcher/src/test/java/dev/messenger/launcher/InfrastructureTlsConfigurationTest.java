package dev.messenger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InfrastructureTlsConfigurationTest {
  private static final LocalCertificates CERTIFICATES = new LocalCertificates(Path.of("/tmp/tls/ca.pem"),
      Path.of("/tmp/tls/server.pem"), Path.of("/tmp/tls/server-key.pem"));

  @Test
  void should_leave_tls_off_by_default_and_keep_it_through_the_other_copies() {
    assertThat(InfrastructureConfig.defaults().tls()).isEmpty();
    assertThat(InfrastructureConfig.defaults().withTls(CERTIFICATES).withAuthentication().withNodes(3)
        .withCassandraHeap("768m").withDataDirectory(Path.of("/tmp/d")).tls()).contains(CERTIFICATES);
  }

  @Test
  void should_serve_etcd_clients_over_https_and_leave_peers_and_metrics_plain() {
    EtcdServer.Member self = new EtcdServer.Member("n1", 2379, 2380, 2381);

    List<String> command = EtcdServer.command(Path.of("/usr/bin/etcd"), Path.of("/tmp/e"), self, List.of(self),
        Optional.of(CERTIFICATES));

    assertThat(String.join(" ", command))
        .contains("--listen-client-urls https://127.0.0.1:2379", "--advertise-client-urls https://127.0.0.1:2379",
            "--listen-peer-urls http://127.0.0.1:2380", "--listen-metrics-urls http://127.0.0.1:2381",
            "--cert-file /tmp/tls/server.pem", "--key-file /tmp/tls/server-key.pem");
  }

  @Test
  void should_give_nats_a_tls_block_for_its_client_port() {
    assertThat(NatsServer.tls(CERTIFICATES))
        .isEqualTo("tls {\n  cert_file: \"/tmp/tls/server.pem\"\n  key_file: \"/tmp/tls/server-key.pem\"\n}\n");
  }

  @Test
  void should_make_cassandra_clients_speak_tls_with_no_plaintext_fallback() {
    assertThat(CassandraYaml.clientEncryption(Path.of("/tmp/c/native-transport.pem")))
        .contains("client_encryption_options:\n  enabled: true\n  optional: false\n")
        .contains("class_name: org.apache.cassandra.security.PEMBasedSslContextFactory")
        .contains("keystore: \"/tmp/c/native-transport.pem\"");
    assertThat(CassandraYaml.render(Path.of("/tmp/c"), 7000, 9042)).doesNotContain("encryption");
  }

  @Test
  void should_hand_the_ca_and_cql_tls_to_clients_and_read_them_back() {
    InfrastructureEndpoints endpoints = new InfrastructureEndpoints(List.of("https://127.0.0.1:2379"),
        "tls://127.0.0.1:4222", List.of(new InetSocketAddress("127.0.0.1", 9042)), "datacenter1", Optional.empty(),
        Optional.empty(), Optional.empty(), true, Optional.of(CERTIFICATES.caCertificate()));

    Map<String, String> env = endpoints.toEnvironment();

    assertThat(env)
        .containsEntry("MESSENGER_CQL_TLS", "true")
        .containsEntry("MESSENGER_INFRA_CA_FILE", "/tmp/tls/ca.pem");
    assertThat(InfrastructureEndpoints.fromEnvironment(env)).contains(endpoints);
  }
}
