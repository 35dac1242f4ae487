package dev.messenger.systemtests.presence;

import static dev.messenger.api.v1.PresenceState.PRESENCE_STATE_OFFLINE;
import static dev.messenger.api.v1.PresenceState.PRESENCE_STATE_ONLINE;
import static dev.messenger.systemtests.presence.PresenceCluster.GRACE;
import static dev.messenger.systemtests.presence.PresenceCluster.LEASE_TTL;
import static dev.messenger.systemtests.presence.PresenceCluster.REFRESH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.GetPresenceRequest;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.presence.PresenceNode;
import dev.messenger.presence.client.PresenceReporter;
import dev.messenger.systemtests.presence.PresenceCluster.FakeSessionServer;
import dev.messenger.systemtests.presence.Watcher.Seen;
import dev.messenger.testing.WithRealInfrastructure;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Promise 5 (presence is honest) on real etcd, NATS and CQL: one presence instance, session servers played
 * by the test through {@link PresenceReporter} and fake etcd registrations, watchers listening on their user
 * subjects as session servers do.
 */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PresenceIT {
  private static final Duration SHORTLY = Duration.ofSeconds(5);
  private static final PrometheusRegistry registry = new PrometheusRegistry();
  private static PresenceCluster cluster;
  private static PresenceNode presence;
  private static PresenceReporter sessionA;
  private static PresenceReporter sessionB;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = PresenceCluster.create(endpoints);
    presence = cluster.startPresence("presence-1", registry);
    await().atMost(Duration.ofSeconds(30)).until(() -> presence.ownedPartitions().size() == PresenceCluster.PARTITIONS);
    sessionA = cluster.reporter("session-a", REFRESH);
    sessionB = cluster.reporter("session-b", REFRESH);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_show_alice_online_while_any_device_is_connected_and_offline_with_last_seen_after_the_grace_period()
      throws Exception {
    cluster.addContacts("alice1", "bob1");
    Watcher bob = cluster.watcher("bob1");

    sessionA.streamOpened("alice1", "phone", "alice1-phone");
    await().atMost(SHORTLY).until(() -> bob.lastState("alice1") == PRESENCE_STATE_ONLINE);

    sessionB.streamOpened("alice1", "laptop", "alice1-laptop");
    sessionA.streamClosed("alice1", "alice1-phone");
    await().during(GRACE.multipliedBy(2)).atMost(GRACE.multipliedBy(2).plus(SHORTLY))
        .until(() -> bob.of("alice1").size() == 1);

    long closedAt = System.currentTimeMillis();
    sessionB.streamClosed("alice1", "alice1-laptop");
    await().atMost(SHORTLY).until(() -> bob.lastState("alice1") == PRESENCE_STATE_OFFLINE);

    List<Seen> seen = bob.of("alice1");
    assertThat(seen).hasSize(2);
    Seen offline = seen.get(1);
    assertThat(offline.atMs() - closedAt).isGreaterThanOrEqualTo(GRACE.toMillis());
    assertThat(offline.update().getLastSeenMs()).isBetween(closedAt, closedAt + 1_000);
    assertThat(cluster.blocking(presence, "bob1")
            .getPresence(GetPresenceRequest.newBuilder().addUserIds("alice1").addUserIds("nobody1").build())
            .getPresencesList())
        .containsExactly(offline.update(), PresenceUpdate.newBuilder().setUserId("nobody1")
            .setState(PRESENCE_STATE_OFFLINE).build());
    assertThat(metric("messenger_presence_changes")).isGreaterThanOrEqualTo(2);
    assertThat(metric("messenger_presence_fanout_messages")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void should_show_nothing_when_alice_reconnects_within_the_grace_period() throws Exception {
    cluster.addContacts("alice2", "bob2");
    Watcher bob = cluster.watcher("bob2");
    sessionA.streamOpened("alice2", "phone", "alice2-phone-1");
    await().atMost(SHORTLY).until(() -> bob.lastState("alice2") == PRESENCE_STATE_ONLINE);

    sessionA.streamClosed("alice2", "alice2-phone-1");
    sessionB.streamOpened("alice2", "phone", "alice2-phone-2");

    await().during(GRACE.multipliedBy(3)).atMost(GRACE.multipliedBy(3).plus(SHORTLY))
        .until(() -> bob.of("alice2").size() == 1);
    assertThat(presence.showsOnline("alice2")).isTrue();
    assertThat(metric("messenger_presence_online_users")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void should_take_alice_offline_within_the_lease_bound_when_her_session_server_is_killed() throws Exception {
    cluster.addContacts("alice3", "bob3");
    Watcher bob = cluster.watcher("bob3");
    FakeSessionServer server = cluster.registerSessionServer("session-killed");
    // Refreshes so rare that only the server's etcd key going can explain a timely offline.
    PresenceReporter killed = cluster.reporter("session-killed", Duration.ofSeconds(30));
    killed.streamOpened("alice3", "phone", "alice3-phone");
    await().atMost(SHORTLY).until(() -> bob.lastState("alice3") == PRESENCE_STATE_ONLINE);

    long killedAt = System.currentTimeMillis();
    killed.close(); // no goodbye: nothing more from this server
    server.crash(); // its lease is no longer renewed

    Duration bound = LEASE_TTL.plus(GRACE).plusMillis(1_500);
    await().atMost(bound.plus(SHORTLY)).until(() -> bob.lastState("alice3") == PRESENCE_STATE_OFFLINE);
    Seen offline = bob.of("alice3").get(1);
    assertThat(offline.atMs() - killedAt).isBetween(GRACE.toMillis(), bound.toMillis());
  }

  @Test
  void should_show_nothing_when_alice_reconnects_elsewhere_before_her_killed_server_is_detected()
      throws Exception {
    cluster.addContacts("alice4", "bob4");
    Watcher bob = cluster.watcher("bob4");
    FakeSessionServer server = cluster.registerSessionServer("session-doomed");
    PresenceReporter doomed = cluster.reporter("session-doomed", Duration.ofSeconds(30));
    doomed.streamOpened("alice4", "phone", "alice4-phone-1");
    await().atMost(SHORTLY).until(() -> bob.lastState("alice4") == PRESENCE_STATE_ONLINE);

    doomed.close();
    server.crash();
    sessionB.streamOpened("alice4", "phone", "alice4-phone-2");

    await().during(LEASE_TTL.plus(GRACE).plusSeconds(2)).atMost(LEASE_TTL.plus(GRACE).plus(SHORTLY))
        .until(() -> bob.of("alice4").size() == 1);
    assertThat(cluster.sessionServerRegistered("session-doomed")).isFalse();
    assertThat(presence.showsOnline("alice4")).isTrue();
  }

  private static double metric(String name) {
    double total = 0;
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getName().equals(name)) {
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
          if (point instanceof CounterDataPointSnapshot counter) {
            total += counter.getValue();
          } else if (point instanceof GaugeDataPointSnapshot gauge) {
            total += gauge.getValue();
          }
        }
      }
    }
    return total;
  }
}
