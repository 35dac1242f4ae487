package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Message;
import dev.messenger.client.ConnectionState;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.client.MessengerListener;
import dev.messenger.common.ConversationIds;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stopping session server moves its devices to the others at its drain rate, not all at once, while
 * messages keep flowing to them: every message sent during the drain reaches its device once and in order.
 */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SessionDrainIT {
  private static final int DEVICES = 40;
  private static final int DRAIN_RATE = 20;
  private static final int MESSAGES_EACH = 6;
  private static final Duration ROUND_SPACING = Duration.ofMillis(300);
  private static TestCluster cluster;
  private static SessionNode stopping;
  private static SessionNode staying;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = TestCluster.start(endpoints);
    stopping = cluster.startSession("session-stopping", c -> c.withDrain(Duration.ofSeconds(30), DRAIN_RATE)
        .withRebalanceRate(0)); // this test counts drain moves only
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
  void should_move_devices_at_the_drain_rate_and_deliver_everything_sent_meanwhile() throws Exception {
    int stayingPort = freePort();
    List<Device> devices = new ArrayList<>();
    for (int i = 0; i < DEVICES; i++) {
      Device device = new Device("drain-user-" + i);
      // Apps know more than one address to ask Discovery at: the second is the server that stays.
      cluster.track(cluster.clientBuilder(device.user, "phone", stopping, device)
          .target("127.0.0.1:" + stayingPort).cursorStore(new InMemoryCursorStore()).build().start());
      devices.add(device);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> stopping.openStreams() == DEVICES);
    // The second server comes up only now, so every device started on the first one.
    staying = cluster.startSession("session-staying", c -> c.withGrpcPort(stayingPort));
    MessengerClient sender = cluster.track(cluster.clientBuilder("drain-sender", "laptop", staying,
        new DeviceRecorder("drain-sender")).cursorStore(new InMemoryCursorStore()).useDiscovery(false).build().start());
    assertThat(sender.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    devices.forEach(device -> device.connectedAt.clear());

    long drainStart = System.nanoTime();
    CompletableFuture<Void> closed = CompletableFuture.runAsync(stopping::close);
    List<CompletableFuture<?>> sends = new ArrayList<>();
    // The rounds are spread over the drain, 300 ms apart: this is the load, not a wait for a condition.
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    try {
      List<ScheduledFuture<List<CompletableFuture<?>>>> rounds = new ArrayList<>();
      for (int round = 1; round <= MESSAGES_EACH; round++) {
        String body = "m" + round;
        rounds.add(pacer.schedule(() -> devices.stream()
            .<CompletableFuture<?>>map(device -> sender.send(device.conversation(), body)).toList(),
            (round - 1) * ROUND_SPACING.toMillis(), TimeUnit.MILLISECONDS));
      }
      for (ScheduledFuture<List<CompletableFuture<?>>> round : rounds) {
        sends.addAll(round.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pacer.shutdownNow();
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    closed.get(60, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(30)).until(() -> staying.openStreams() == DEVICES + 1);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        devices.stream().allMatch(device -> device.bodies().size() >= MESSAGES_EACH));
    for (Device device : devices) {
      assertThat(device.bodies()).as(device.user).containsExactly("m1", "m2", "m3", "m4", "m5", "m6");
    }

    List<Long> reconnects = devices.stream().map(device -> device.connectedAt.get(0) - drainStart).sorted().toList();
    // 40 devices at 20 a second: the last moves about two seconds after the first.
    assertThat(Duration.ofNanos(reconnects.get(DEVICES - 1) - reconnects.get(0)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    assertThat(maxInAnyWindow(reconnects, Duration.ofMillis(500)))
        .as("reconnects in any half second").isLessThanOrEqualTo(DRAIN_RATE);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static int maxInAnyWindow(List<Long> sortedNanos, Duration window) {
    int most = 0;
    for (int first = 0, last = 0; last < sortedNanos.size(); last++) {
      while (sortedNanos.get(last) - sortedNanos.get(first) >= window.toNanos()) {
        first++;
      }
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  private static final class Device implements MessengerListener {
    final String user;
    final DeviceRecorder recorder;
    final List<Long> connectedAt = new CopyOnWriteArrayList<>();

    Device(String user) {
      this.user = user;
      this.recorder = new DeviceRecorder(user);
    }

    @Override
    public void onMessage(Message message) {
      recorder.onMessage(message);
    }

    String conversation() {
      return ConversationIds.direct("drain-sender", user);
    }

    List<String> bodies() {
      return recorder.in(conversation()).stream().map(Message::getBody).toList();
    }

    @Override
    public void onStateChanged(ConnectionState state) {
      if (state == ConnectionState.CONNECTED) {
        connectedAt.add(System.nanoTime());
      }
    }
  }
}
