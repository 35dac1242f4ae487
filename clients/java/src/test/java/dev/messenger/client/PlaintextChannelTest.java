package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SessionServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The default channel factory against a real Netty server on loopback, discovery included. */
@Timeout(30)
class PlaintextChannelTest {
  @Test
  void should_discover_connect_and_send_over_plaintext_loopback() throws Exception {
    RecordingListener listener = new RecordingListener();
    try (FakeMessengerServer bootstrap = FakeMessengerServer.onLoopback();
        FakeMessengerServer session = FakeMessengerServer.onLoopback()) {
      bootstrap.answerDiscovery(List.of(SessionServer.newBuilder()
          .setServerId("s1").setAddress(session.name()).setStreams(0).build()));
      session.onHello(stream -> stream.welcome().caughtUp());
      MessengerClient client = MessengerClient.builder()
          .target(bootstrap.name())
          .tokenSupplier(() -> "t")
          .listener(listener)
          .build()
          .start();
      try {
        assertThat(client.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
        CompletableFuture<SendAck> ack = client.send("c1", "hello");
        await().until(() -> session.stream(0).sends().size() == 1);
        session.stream(0).ack(session.stream(0).sends().get(0), 1, false);

        assertThat(ack.get().getSeq()).isEqualTo(1);
        assertThat(session.stream(0).authorization()).isEqualTo("Bearer t");
        assertThat(bootstrap.streams()).isEmpty();
      } finally {
        client.close();
      }
      assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
      await().until(() -> session.stream(0).clientEnded());
    }
  }
}
