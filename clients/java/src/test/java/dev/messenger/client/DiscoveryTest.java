package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.SessionServer;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DiscoveryTest {
  private final ClientHarness harness = new ClientHarness();

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private static SessionServer server(FakeMessengerServer fake, int streams) {
    return SessionServer.newBuilder().setServerId(fake.name()).setAddress(fake.name()).setStreams(streams)
        .build();
  }

  @Test
  void should_connect_to_the_least_loaded_discovered_server() {
    FakeMessengerServer busy = harness.extraServer();
    FakeMessengerServer idle = harness.extraServer();
    harness.server.answerDiscovery(List.of(server(busy, 50), server(idle, 1)));

    harness.start();

    await().until(() -> idle.streams().size() == 1);
    assertThat(busy.streams()).isEmpty();
    assertThat(harness.server.streams()).isEmpty();
    assertThat(harness.server.discoveryCalls()).isEqualTo(1);
    assertThat(harness.server.discoveryTokens()).as("discovery is authenticated like any call")
        .containsExactly(idle.streams().get(0).authorization());
  }

  @Test
  void should_fall_back_to_the_bootstrap_target_when_discovery_fails() {
    harness.server.failDiscovery(Status.UNIMPLEMENTED);

    harness.start();

    await().until(() -> harness.server.streams().size() == 1);
  }

  @Test
  void should_fall_back_to_the_bootstrap_target_when_no_server_is_listed() {
    harness.start();

    await().until(() -> harness.server.streams().size() == 1);
  }

  @Test
  void should_avoid_a_server_that_failed_before_welcome() {
    FakeMessengerServer broken = harness.extraServer();
    FakeMessengerServer healthy = harness.extraServer();
    broken.onHello(stream -> stream.fail(Status.Code.UNAVAILABLE, "SERVER_DRAINING"));
    harness.server.answerDiscovery(List.of(server(broken, 0), server(healthy, 30)));

    harness.start();

    await().until(() -> healthy.streams().size() == 1);
    assertThat(broken.streams()).hasSize(1);
  }

  @Test
  void should_move_to_another_server_after_its_stream_ends() {
    FakeMessengerServer a = harness.extraServer();
    FakeMessengerServer b = harness.extraServer();
    harness.server.answerDiscovery(List.of(server(a, 0)));
    harness.start();
    await().until(() -> a.streams().size() == 1 && !a.stream(0).frames().isEmpty());
    a.stream(0).welcome();

    harness.server.answerDiscovery(List.of(server(b, 0)));
    a.stream(0).fail(Status.Code.UNAVAILABLE, "SERVER_DRAINING");

    await().until(() -> b.streams().size() == 1);
  }

  @Test
  void should_keep_retrying_when_a_channel_cannot_be_made() {
    AtomicInteger failures = new AtomicInteger();
    harness.start(harness.builder().channelFactory(target -> {
      if (failures.incrementAndGet() <= 2) {
        throw new IllegalArgumentException("no such target");
      }
      return InProcessChannelBuilder.forName(target).build();
    }));

    await().until(() -> harness.server.streams().size() == 1);
    assertThat(harness.listener.errorReasons()).contains(ClientReasons.CONNECT_FAILED);
  }
}
