package dev.messenger.common.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import dev.messenger.launcher.LocalCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class InfraTlsTest {
  @TempDir Path dir;

  @Test
  void should_reach_every_part_in_plaintext_by_default() {
    InfraSettings infra = forRouter(Map.of());

    assertThat(infra.tls()).isEqualTo(InfraTls.none());
    assertThat(infra.etcdClientBuilder().sslContext()).isNull();
    assertThat(infra.natsOptions("router-1").build().getSslContext()).isNull();
  }

  @Test
  void should_turn_tls_on_by_scheme_and_trust_the_infra_ca() {
    LocalCertificates certificates = LocalCertificates.create(dir);

    InfraSettings infra = forRouter(Map.of(
        "MESSENGER_ETCD_ENDPOINTS", "https://127.0.0.1:2379,https://127.0.0.1:2380",
        "MESSENGER_NATS_URL", "tls://127.0.0.1:4222",
        "MESSENGER_CQL_TLS", "true",
        "MESSENGER_INFRA_CA_FILE", certificates.caCertificate().toString()));

    assertThat(infra.tls().etcd()).isTrue();
    assertThat(infra.tls().nats()).isTrue();
    assertThat(infra.tls().cql()).isTrue();
    assertThat(infra.tls().ca()).isPresent();
    assertThat(infra.etcdClientBuilder().sslContext()).isNotNull();
    assertThat(infra.etcdClientBuilder().sslContext().isClient()).isTrue();
    assertThat(infra.natsOptions("router-1").build().getSslContext()).isNotNull();
  }

  @Test
  void should_use_the_jvm_roots_for_tls_without_a_ca_file() {
    InfraSettings infra = forRouter(Map.of("MESSENGER_NATS_URL", "tls://nats.example:4222"));

    assertThat(infra.tls().nats()).isTrue();
    assertThat(infra.tls().ca()).isEmpty();
    assertThat(infra.natsOptions("router-1").build().getSslContext()).isNotNull();
  }

  @Test
  void should_name_the_setting_of_a_missing_ca_file() {
    Path missing = dir.resolve("missing.pem");

    assertThatThrownBy(() -> forRouter(Map.of("MESSENGER_CQL_TLS", "true",
        "MESSENGER_INFRA_CA_FILE", missing.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MESSENGER_INFRA_CA_FILE (--infra-ca-file)")
        .hasMessageContaining("missing.pem");
  }

  @Test
  void should_name_the_setting_of_a_ca_file_without_a_certificate() throws IOException {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");

    assertThatThrownBy(() -> forRouter(Map.of("MESSENGER_CQL_TLS", "true",
        "MESSENGER_INFRA_CA_FILE", garbage.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MESSENGER_INFRA_CA_FILE (--infra-ca-file)")
        .hasMessageContaining("garbage.pem");
  }

  @Test
  void should_refuse_a_ca_file_that_no_part_uses() {
    LocalCertificates certificates = LocalCertificates.create(dir);

    assertThatThrownBy(() -> forRouter(Map.of("MESSENGER_INFRA_CA_FILE", certificates.caCertificate().toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("MESSENGER_INFRA_CA_FILE (--infra-ca-file) is set, but no part is reached over TLS");
  }

  @Test
  void should_refuse_etcd_endpoints_that_mix_plaintext_and_tls() {
    assertThatThrownBy(() -> forRouter(Map.of(
        "MESSENGER_ETCD_ENDPOINTS", "https://127.0.0.1:2379,http://127.0.0.1:2380")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MESSENGER_ETCD_ENDPOINTS (--etcd-endpoints) mixes http:// and https:// URLs: "
            + "all or none of them use TLS");
  }

  @Test
  void should_refuse_nats_urls_that_mix_plaintext_and_tls() {
    assertThatThrownBy(() -> forRouter(Map.of("MESSENGER_NATS_URL", "tls://127.0.0.1:4222,127.0.0.1:4223")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("MESSENGER_NATS_URL (--nats-url) mixes nats:// and tls:// URLs");
  }

  @Test
  void should_refuse_an_unknown_scheme() {
    assertThatThrownBy(() -> forRouter(Map.of("MESSENGER_ETCD_ENDPOINTS", "ftp://127.0.0.1:2379")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("MESSENGER_ETCD_ENDPOINTS (--etcd-endpoints) takes http:// or https:// URLs");
  }

  @Test
  void should_refuse_a_cql_tls_that_is_not_a_boolean() {
    assertThatThrownBy(() -> forRouter(Map.of("MESSENGER_CQL_TLS", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MESSENGER_CQL_TLS (--cql-tls) is true or false, not 'yes'");
  }

  @Test
  void should_build_contexts_that_trust_the_ca() {
    LocalCertificates certificates = LocalCertificates.create(dir);

    InfraCa ca = InfraCa.read(certificates.caCertificate());

    assertThat(ca.sslContext().getProtocol()).isEqualTo("TLS");
    assertThat(ca.grpcSslContext().isClient()).isTrue();
  }

  private static InfraSettings forRouter(Map<String, String> env) {
    return InfraSettings.from(Settings.forService(ServiceName.ROUTER, new String[0], env));
  }
}
