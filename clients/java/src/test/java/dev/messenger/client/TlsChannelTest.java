package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SessionServer;
import dev.messenger.launcher.LocalCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChannelFactory#tls(Path)} against real Netty servers that serve TLS only, discovery included. */
@Timeout(30)
class TlsChannelTest {
  @TempDir Path dir;

  @Test
  void should_discover_connect_and_send_over_tls_trusting_the_deployments_ca() throws Exception {
    LocalCertificates certificates = LocalCertificates.create(dir);
    RecordingListener listener = new RecordingListener();
    try (FakeMessengerServer bootstrap = tlsServer(certificates);
        FakeMessengerServer session = tlsServer(certificates)) {
      bootstrap.answerDiscovery(List.of(SessionServer.newBuilder()
          .setServerId("s1").setAddress(session.name()).setStreams(0).build()));
      session.onHello(stream -> stream.welcome().caughtUp());
      MessengerClient client = MessengerClient.builder()
          .target(bootstrap.name())
          .tokenSupplier(() -> "t")
          .listener(listener)
          .channelFactory(ChannelFactory.tls(certificates.caCertificate()))
          .build()
          .start();
      try {
        assertThat(client.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
        CompletableFuture<SendAck> ack = client.send("c1", "hello");
        await().until(() -> session.stream(0).sends().size() == 1);
        session.stream(0).ack(session.stream(0).sends().get(0), 1, false);

        assertThat(ack.get().getSeq()).isEqualTo(1);
      } finally {
        client.close();
      }
    }
  }

  @Test
  void should_refuse_a_ca_file_that_is_not_a_certificate() {
    assertThatThrownBy(() -> ChannelFactory.tls(dir.resolve("missing.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.pem");
  }

  private static FakeMessengerServer tlsServer(LocalCertificates certificates) throws Exception {
    return FakeMessengerServer.onLoopbackTls(certificates.serverCertificateChain(), certificates.serverKey());
  }
}
