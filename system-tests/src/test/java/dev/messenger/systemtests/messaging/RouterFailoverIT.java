package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.common.ConversationIds;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Promises 1, 2 and 4 when a router dies: kill -9 of the router owning a conversation in mid-burst. */
@WithRealInfrastructure
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RouterFailoverIT {
  private static TestCluster cluster;
  private static SessionNode sessionA;
  private static SessionNode sessionB;
  private static Map<String, ChildProcess> routers;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) throws Exception {
    cluster = TestCluster.start(endpoints);
    sessionA = cluster.startSession("session-a", UnaryOperator.identity());
    sessionB = cluster.startSession("session-b", UnaryOperator.identity());
    routers = cluster.startRouterProcesses("router-p1", "router-p2");
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_store_and_deliver_every_message_exactly_once_when_the_owning_router_is_killed() throws Exception {
    String conversation = ConversationIds.direct("erin", "frank");
    int shard = ConversationIds.shardOf(conversation, 64);
    ChildProcess owner = routers.get(cluster.shardOwners().get(shard));

    DeviceRecorder erinDevice = new DeviceRecorder("erin");
    DeviceRecorder frankDevice = new DeviceRecorder("frank");
    MessengerClient erin = cluster.track(cluster.clientBuilder("erin", "phone", sessionA, erinDevice)
        .cursorStore(new InMemoryCursorStore()).useDiscovery(false).build().start());
    MessengerClient frank = cluster.track(cluster.clientBuilder("frank", "phone", sessionB, frankDevice)
        .cursorStore(new InMemoryCursorStore()).useDiscovery(false).build().start());
    assertThat(erin.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    assertThat(frank.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();

    List<CompletableFuture<SendAck>> acks = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      acks.add(erin.send(conversation, "burst " + i));
      if (i == 100) {
        await().atMost(Duration.ofSeconds(30)).until(() -> acks.stream().filter(CompletableFuture::isDone).count() >= 20);
        owner.kill();
      }
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    assertThat(owner.isAlive()).isFalse();

    List<Message> stored = cluster.log.readLog(conversation, 0, 10_000).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertThat(stored).extracting(Message::getSeq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
    assertThat(stored).extracting(Message::getClientMessageId).doesNotHaveDuplicates();
    assertThat(stored).extracting(Message::getBody).as("the device's messages are stored in the order it sent them")
        .containsExactlyElementsOf(IntStream.range(0, 300).mapToObj(i -> "burst " + i).toList());
    assertThat(acks).extracting(f -> f.join().getSeq()).doesNotHaveDuplicates();
    for (CompletableFuture<SendAck> ack : acks) {
      Message m = stored.get((int) ack.join().getSeq() - 1);
      assertThat(m.getClientMessageId()).isEqualTo(ack.join().getClientMessageId());
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> frankDevice.in(conversation).size() >= 300);
    assertThat(frankDevice.in(conversation)).extracting(Message::getSeq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
    assertThat(frankDevice.in(conversation)).containsExactlyElementsOf(stored);
  }
}
