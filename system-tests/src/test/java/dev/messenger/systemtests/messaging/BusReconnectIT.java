package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Message;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.common.ConversationIds;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Promise 3 when the bus connection of a session server drops during live traffic: what was published while
 * it was away reaches its streams as soon as it is back, without waiting for the conversations' next
 * messages.
 */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BusReconnectIT {
  private static TestCluster cluster;
  private static TcpProxy proxy;
  private static SessionNode cutOff;
  private static SessionNode steady;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) throws Exception {
    cluster = TestCluster.start(endpoints);
    URI nats = URI.create(endpoints.natsUrl());
    proxy = new TcpProxy(new InetSocketAddress(nats.getHost(), nats.getPort()));
    cutOff = cluster.startSession("session-cut", UnaryOperator.identity(), "nats://127.0.0.1:" + proxy.port());
    steady = cluster.startSession("session-steady", UnaryOperator.identity());
    cluster.startRouter("router-1");
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.ownedShards() == 64);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void should_deliver_what_was_published_while_the_bus_was_away_once_it_is_back() throws Exception {
    String conversation = ConversationIds.direct("gina", "hank");
    DeviceRecorder hankDevice = new DeviceRecorder("hank");
    MessengerClient gina = cluster.track(cluster.clientBuilder("gina", "phone", steady, new DeviceRecorder("gina"))
        .cursorStore(new InMemoryCursorStore()).useDiscovery(false).build().start());
    MessengerClient hank = cluster.track(cluster.clientBuilder("hank", "phone", cutOff, hankDevice)
        .cursorStore(new InMemoryCursorStore()).useDiscovery(false).build().start());
    assertThat(gina.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    assertThat(hank.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    gina.send(conversation, "before").get(20, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> hankDevice.in(conversation).size() == 1);

    proxy.cut();
    for (int i = 1; i <= 3; i++) {
      gina.send(conversation, "while away " + i).get(20, TimeUnit.SECONDS);
    }
    proxy.restore();

    // Nothing else is sent: the session server must fetch the three by itself once its bus is back.
    await().atMost(Duration.ofSeconds(20)).until(() -> hankDevice.in(conversation).size() == 4);
    assertThat(hankDevice.in(conversation)).extracting(Message::getBody)
        .containsExactly("before", "while away 1", "while away 2", "while away 3");
  }
}
