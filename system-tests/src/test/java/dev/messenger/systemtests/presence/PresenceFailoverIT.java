package dev.messenger.systemtests.presence;

import static dev.messenger.api.v1.PresenceState.PRESENCE_STATE_OFFLINE;
import static dev.messenger.api.v1.PresenceState.PRESENCE_STATE_ONLINE;
import static dev.messenger.systemtests.presence.PresenceCluster.GRACE;
import static dev.messenger.systemtests.presence.PresenceCluster.LEASE_TTL;
import static dev.messenger.systemtests.presence.PresenceCluster.PARTITIONS;
import static dev.messenger.systemtests.presence.PresenceCluster.REFRESH;
import static dev.messenger.systemtests.presence.PresenceCluster.WARMUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.GetPresenceRequest;
import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.presence.PresenceNode;
import dev.messenger.presence.client.PresencePartitions;
import dev.messenger.presence.client.PresenceReporter;
import dev.messenger.testing.WithRealInfrastructure;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Presence partitions move between instances without anyone flapping: two instances share the partitions;
 * one stops (gracefully, or dies without a word) and the other serves every user correctly.
 */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PresenceFailoverIT {
  private static final Duration SHORTLY = Duration.ofSeconds(10);
  private static final int USERS = 16;
  private static PresenceCluster cluster;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = PresenceCluster.create(endpoints);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_keep_presence_correct_for_all_users_when_one_of_two_instances_stops() throws Exception {
    scenario("stop", PresenceNode::close);
  }

  @Test
  void should_move_the_partitions_of_an_instance_that_dies_without_anyone_flapping() throws Exception {
    scenario("die", PresenceNode::abandon);
  }

  /** Two instances, users on both; {@code stopping} ends the first; the second must serve everyone. */
  private void scenario(String name, Consumer<PresenceNode> stopping) throws Exception {
    PresenceNode first = cluster.startPresence(name + "-presence-1", new PrometheusRegistry());
    PresenceNode second = cluster.startPresence(name + "-presence-2", new PrometheusRegistry());
    await().atMost(SHORTLY).until(() -> sharedByBoth(first, second));
    PresenceReporter session = cluster.reporter(name + "-session", REFRESH);
    String watcherId = name + "-watcher";
    Watcher watcher = cluster.watcher(watcherId);
    List<String> users = IntStream.range(0, USERS + 1).mapToObj(i -> name + "-user-" + i).toList();
    users.forEach(user -> cluster.addContacts(watcherId, user));
    for (String user : users.subList(0, USERS)) {
      session.streamOpened(user, "phone", user + "-phone");
    }
    await().atMost(SHORTLY).until(() -> users.subList(0, USERS).stream()
        .allMatch(user -> watcher.lastState(user) == PRESENCE_STATE_ONLINE));
    String servedByFirst = servedBy(first, users.subList(0, USERS));
    String servedBySecond = servedBy(second, users.subList(0, USERS));

    watcher.clear();
    stopping.accept(first);

    await().atMost(LEASE_TTL.plus(SHORTLY)).until(() -> second.ownedPartitions().size() == PARTITIONS);
    await().during(WARMUP.plus(GRACE).plusSeconds(1)).atMost(WARMUP.plus(GRACE).plus(SHORTLY))
        .until(() -> watcher.all().isEmpty());

    session.streamClosed(servedByFirst, servedByFirst + "-phone");
    session.streamClosed(servedBySecond, servedBySecond + "-phone");
    String newcomer = users.get(USERS);
    session.streamOpened(newcomer, "phone", newcomer + "-phone");
    await().atMost(SHORTLY).until(() -> watcher.lastState(servedByFirst) == PRESENCE_STATE_OFFLINE
        && watcher.lastState(servedBySecond) == PRESENCE_STATE_OFFLINE
        && watcher.lastState(newcomer) == PRESENCE_STATE_ONLINE);
    assertThat(watcher.all()).hasSize(3);

    List<PresenceUpdate> all = cluster.blocking(second, watcherId)
        .getPresence(GetPresenceRequest.newBuilder().addAllUserIds(users).build())
        .getPresencesList();
    for (PresenceUpdate update : all) {
      boolean gone = update.getUserId().equals(servedByFirst) || update.getUserId().equals(servedBySecond);
      PresenceState expected = gone ? PRESENCE_STATE_OFFLINE : PRESENCE_STATE_ONLINE;
      assertThat(update.getState()).as(update.getUserId()).isEqualTo(expected);
      assertThat(update.getLastSeenMs() > 0).as(update.getUserId()).isEqualTo(gone);
    }
    second.close();
  }

  private static boolean sharedByBoth(PresenceNode first, PresenceNode second) {
    Set<Integer> a = first.ownedPartitions();
    Set<Integer> b = second.ownedPartitions();
    Set<Integer> union = new HashSet<>(a);
    union.addAll(b);
    return !a.isEmpty() && !b.isEmpty() && union.size() == PARTITIONS && a.size() + b.size() == PARTITIONS;
  }

  /** A user whose partition the instance serves. */
  private static String servedBy(PresenceNode node, List<String> users) {
    Set<Integer> owned = node.ownedPartitions();
    return users.stream()
        .filter(user -> owned.contains(PresencePartitions.of(user, PARTITIONS)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(node.instanceId() + " serves none of the users"));
  }
}
