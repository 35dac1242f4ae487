package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HeartbeatTest {
  private final ClientHarness harness = new ClientHarness();

  @AfterEach
  void tearDown() {
    harness.close();
  }

  @Test
  void should_send_heartbeats_at_the_interval_from_welcome() {
    harness.server.onHello(stream -> stream.welcome(50));
    harness.start();

    await().untilAsserted(() -> {
      assertThat(harness.listener.errors).isEmpty();
      assertThat(harness.server.streams()).hasSize(1);
      assertThat(harness.server.stream(0).heartbeats()).isGreaterThanOrEqualTo(5);
    });
  }

  @Test
  void should_reconnect_when_the_server_goes_silent() {
    harness.server.answerHeartbeats(false);
    harness.server.onHello(stream -> stream.welcome(30));
    MessengerClient client = harness.start();

    await().until(() -> harness.server.streams().size() >= 2);
    assertThat(harness.listener.errorReasons()).contains(ClientReasons.HEARTBEAT_TIMEOUT);
    await().until(() -> harness.server.stream(0).clientEnded());
    assertThat(client.state()).isNotEqualTo(ConnectionState.CLOSED);
  }

  @Test
  void should_retry_when_no_welcome_arrives() {
    harness.start(harness.builder().welcomeTimeout(Duration.ofMillis(100)));

    await().until(() -> harness.server.streams().size() >= 2);
    assertThat(harness.listener.errorReasons()).contains(ClientReasons.WELCOME_TIMEOUT);
  }
}
