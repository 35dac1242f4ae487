package dev.messenger.common.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import dev.messenger.launcher.LocalCertificates;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerTlsTest {
  @TempDir Path dir;

  @Test
  void should_serve_tls_only_to_channels_that_trust_its_ca() throws IOException {
    LocalCertificates certificates = LocalCertificates.create(dir.resolve("server"));
    LocalCertificates stranger = LocalCertificates.create(dir.resolve("stranger"));
    Optional<ServerTls> tls = ServerTls.from(settings(
        "--tls-cert-file=" + certificates.serverCertificateChain(), "--tls-key-file=" + certificates.serverKey()));

    try (ServiceServer server = ServiceServer.start(GrpcServers.netty("127.0.0.1", 0, tls), List.of(), List.of(),
        new PrometheusRegistry())) {
      String target = "127.0.0.1:" + server.port();

      assertThat(check(target, TlsChannelCredentials.newBuilder()
          .trustManager(certificates.caCertificate().toFile()).build())).isEqualTo(ServingStatus.SERVING);
      assertUnavailable(target, InsecureChannelCredentials.create());
      assertUnavailable(target, TlsChannelCredentials.newBuilder()
          .trustManager(stranger.caCertificate().toFile()).build());
    }
  }

  @Test
  void should_be_plaintext_when_neither_file_is_set() {
    assertThat(ServerTls.from(settings())).isEmpty();
  }

  @Test
  void should_refuse_one_file_without_the_other_and_name_both() {
    assertThatThrownBy(() -> ServerTls.from(settings("--tls-cert-file=/etc/server.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MESSENGER_TLS_CERT_FILE")
        .hasMessageContaining("MESSENGER_TLS_KEY_FILE");
    assertThatThrownBy(() -> ServerTls.from(settings("--tls-key-file=/etc/server-key.pem")))
        .hasMessageContaining("MESSENGER_TLS_CERT_FILE")
        .hasMessageContaining("MESSENGER_TLS_KEY_FILE");
  }

  @Test
  void should_name_the_setting_of_a_file_it_cannot_read() {
    LocalCertificates certificates = LocalCertificates.create(dir);

    assertThatThrownBy(() -> ServerTls.from(settings("--tls-cert-file=" + certificates.serverCertificateChain(),
            "--tls-key-file=" + dir.resolve("missing.pem"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read MESSENGER_TLS_KEY_FILE")
        .hasMessageContaining("missing.pem");
  }

  @Test
  void should_name_the_settings_of_files_that_are_not_a_certificate_and_key() throws IOException {
    LocalCertificates certificates = LocalCertificates.create(dir);
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");

    assertThatThrownBy(() -> ServerTls.from(settings("--tls-cert-file=" + garbage,
            "--tls-key-file=" + certificates.serverKey())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MESSENGER_TLS_CERT_FILE")
        .hasMessageContaining("garbage.pem");
  }

  private static Settings settings(String... flags) {
    return Settings.forService(ServiceName.SESSION, flags, Map.of());
  }

  private static ServingStatus check(String target, ChannelCredentials credentials) {
    ManagedChannel channel = Grpc.newChannelBuilder(target, credentials).build();
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } finally {
      channel.shutdownNow();
    }
  }

  private static void assertUnavailable(String target, ChannelCredentials credentials) {
    assertThatThrownBy(() -> check(target, credentials))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
