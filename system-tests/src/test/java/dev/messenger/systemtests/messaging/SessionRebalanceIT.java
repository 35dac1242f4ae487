package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.StreamError;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.common.ConversationIds;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.session.StreamMoves;
import dev.messenger.testing.WithRealInfrastructure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session server that comes up next to a crowded one gets its share of the devices (as after a restart in a
 * rolling upgrade), while messages keep flowing to them: each reaches its device once and in order, and the
 * two servers stop handing devices over once they are even.
 */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SessionRebalanceIT {
  private static final int DEVICES = 60;
  private static final int ROUNDS = 8;
  private static TestCluster cluster;
  private static SessionNode crowded;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = TestCluster.start(endpoints);
    crowded = cluster.startSession("session-crowded", c -> c);
    cluster.startRouter("router-1");
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.ownedShards() == 64);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_give_a_new_server_its_share_and_deliver_everything_sent_meanwhile() throws Exception {
    int emptyPort = freePort();
    List<DeviceRecorder> devices = new ArrayList<>();
    for (int i = 0; i < DEVICES; i++) {
      DeviceRecorder device = new DeviceRecorder("rebalance-user-" + i);
      cluster.track(cluster.clientBuilder(device.name, "phone", crowded, device)
          .target("127.0.0.1:" + emptyPort).cursorStore(new InMemoryCursorStore()).build().start());
      devices.add(device);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> crowded.openStreams() == DEVICES);

    SessionNode empty = cluster.startSession("session-empty", c -> c.withGrpcPort(emptyPort));
    MessengerClient sender = cluster.track(cluster.clientBuilder("rebalance-sender", "laptop", empty,
        new DeviceRecorder("rebalance-sender")).cursorStore(new InMemoryCursorStore()).useDiscovery(false).build()
        .start());
    assertThat(sender.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();

    List<CompletableFuture<?>> sends = new ArrayList<>();
    AtomicInteger round = new AtomicInteger();
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    try {
      // A round every 500 ms spreads the messages over the hand-over: this is the load, not a wait.
      ScheduledFuture<?> load = pacer.scheduleAtFixedRate(() -> {
        int next = round.incrementAndGet();
        if (next <= ROUNDS) {
          devices.forEach(device -> sends.add(sender.send(conversation(device), "m" + next)));
        }
      }, 0, 500, TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(30)).until(() -> round.get() > ROUNDS);
      load.cancel(false);
    } finally {
      pacer.shutdown();
      assertThat(pacer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    // 60 against 1 (the sender): half the excess a round until they are within the dead band of each other.
    await().atMost(Duration.ofSeconds(30)).until(() -> empty.openStreams() - 1 >= DEVICES / 3);
    AtomicLong movedBefore = new AtomicLong(-1);
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(30)).until(() -> {
      long moved = moved(devices);
      return moved == movedBefore.getAndSet(moved) && crowded.openStreams() + empty.openStreams() == DEVICES + 1;
    });
    assertThat(crowded.openStreams() - empty.openStreams()).as("the servers are even up to the dead band")
        .isBetween(-2 * StreamMoves.REBALANCE_DEAD_BAND - 1, 2 * StreamMoves.REBALANCE_DEAD_BAND + 1);

    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= ROUNDS; i++) {
      expected.add("m" + i);
    }
    await().atMost(Duration.ofSeconds(30)).until(() ->
        devices.stream().allMatch(device -> device.in(conversation(device)).size() >= ROUNDS));
    for (DeviceRecorder device : devices) {
      assertThat(device.in(conversation(device)).stream().map(Message::getBody).toList()).as(device.name)
          .containsExactlyElementsOf(expected);
    }
    assertThat(moved(devices)).as("devices told to move, each once").isEqualTo(empty.openStreams() - 1);
  }

  private static long moved(List<DeviceRecorder> devices) {
    return devices.stream().mapToLong(device -> device.errors.stream().map(StreamError::getReason)
        .filter("SERVER_REBALANCING"::equals).count()).sum();
  }

  private static String conversation(DeviceRecorder device) {
    return ConversationIds.direct("rebalance-sender", device.name);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
