package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.presence.PresenceConfig;
import dev.messenger.presence.PresenceNode;
import dev.messenger.presence.store.PresenceStoreConfig;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Promise 5 through real session servers: presence follows streams, and a killed server's users go offline. */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PresenceEndToEndIT {
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final Duration SESSION_LEASE = Duration.ofSeconds(5);
  private static TestCluster cluster;
  private static SessionNode watcherServer;
  private static PresenceNode presence;
  private static Connection presenceNats;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = TestCluster.start(endpoints);
    watcherServer = cluster.startSession("session-w", UnaryOperator.identity());
    cluster.startRouter("router-1");
    presenceNats = cluster.infra.connectNats("presence-1");
    presence = PresenceNode.start(PresenceConfig.defaults(TestCluster.TOKEN_KEY)
            .withEphemeralPorts()
            .withSubjects(cluster.subjects)
            .withStore(PresenceStoreConfig.inKeyspace(cluster.historyConfig.keyspace()))
            .withTimings(GRACE, Duration.ofMillis(200), Duration.ofSeconds(1)),
        cluster.infra.connectEtcd(), presenceNats, cluster.cql, new PrometheusRegistry());
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ownedShards() == 64
        && presence.ownedPartitions().size() == 64);
  }

  @AfterAll
  static void stop() throws Exception {
    if (presence != null) {
      presence.close();
      presenceNats.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_show_a_user_online_while_connected_and_offline_soon_after_her_server_is_killed() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ChildProcess doomed = cluster.startSessionProcess("session-doomed", port);
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.sessionAddresses().contains("127.0.0.1:" + port));

    DeviceRecorder watcher = new DeviceRecorder("bob");
    MessengerClient bob = cluster.track(cluster.clientBuilder("bob", "phone", watcherServer, watcher)
        .cursorStore(new InMemoryCursorStore()).useDiscovery(false).build().start());
    assertThat(bob.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    bob.sendTo("alice", "hi").get(20, TimeUnit.SECONDS); // only users who share a conversation see each other
    bob.watchPresence(List.of("alice"), List.of());

    String token = cluster.token("alice", "phone");
    MessengerClient alice = cluster.track(MessengerClient.builder().target("127.0.0.1:" + port)
        .tokenSupplier(() -> token).useDiscovery(false).build().start());
    assertThat(alice.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
    await().atMost(Duration.ofSeconds(15)).until(() -> last(watcher) == PresenceState.PRESENCE_STATE_ONLINE);

    long killedAt = System.currentTimeMillis();
    doomed.kill();
    await().atMost(SESSION_LEASE.plus(GRACE).plusSeconds(8))
        .until(() -> last(watcher) == PresenceState.PRESENCE_STATE_OFFLINE);
    long noticedAfter = System.currentTimeMillis() - killedAt;
    PresenceUpdate offline = watcher.presence.get(watcher.presence.size() - 1);
    assertThat(offline.getLastSeenMs()).isBetween(killedAt - 10_000, System.currentTimeMillis());
    assertThat(noticedAfter).isLessThanOrEqualTo(SESSION_LEASE.plus(GRACE).plusSeconds(8).toMillis());
    alice.close();
  }

  @Test
  void should_show_a_user_who_shares_no_conversation_with_the_watcher_as_hidden() throws Exception {
    String token = cluster.token("carol", "phone");
    MessengerClient carol = cluster.track(MessengerClient.builder().target("127.0.0.1:" + watcherServer.port())
        .tokenSupplier(() -> token).useDiscovery(false).build().start());
    assertThat(carol.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
    await().atMost(Duration.ofSeconds(15)).until(() -> presence.showsOnline("carol"));

    DeviceRecorder watcher = new DeviceRecorder("dan");
    MessengerClient dan = cluster.track(cluster.clientBuilder("dan", "phone", watcherServer, watcher)
        .cursorStore(new InMemoryCursorStore()).useDiscovery(false).build().start());
    assertThat(dan.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    dan.watchPresence(List.of("carol"), List.of());

    await().atMost(Duration.ofSeconds(15)).until(() -> !watcher.presence.isEmpty());
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> watcher.presence.size() == 1);
    assertThat(watcher.presence.get(0)).isEqualTo(PresenceUpdate.newBuilder().setUserId("carol")
        .setState(PresenceState.PRESENCE_STATE_OFFLINE).build());
  }

  private static PresenceState last(DeviceRecorder watcher) {
    return watcher.presence.stream()
        .filter(p -> p.getUserId().equals("alice"))
        .reduce((a, b) -> b)
        .map(PresenceUpdate::getState)
        .orElse(PresenceState.PRESENCE_STATE_UNSPECIFIED);
  }
}
