package dev.messenger.systemtests.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import dev.messenger.common.Subjects;
import dev.messenger.common.cql.SchemaChanges;
import dev.messenger.launcher.Infrastructure;
import dev.messenger.launcher.InfrastructureConfig;
import dev.messenger.push.client.PushStreams;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.Subscription;
import io.nats.client.api.StreamInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cluster of {@code ./messenger up --cluster}: three etcd members, three clustered NATS servers and
 * three Cassandra nodes (127.0.0.1-3), the NATS servers and etcd members on addresses of their own (127.0.0.11-13, 127.0.0.21-23). With one node of each killed with -9 the other two go on: QUORUM writes
 * to a keyspace of three replicas, etcd writes, NATS traffic; the killed node comes back with its data.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class ClusterInfrastructureIT {
  @TempDir static Path data;

  private static Infrastructure cluster;

  @BeforeAll
  static void start() {
    cluster = Infrastructure.start(InfrastructureConfig.defaults().withDataDirectory(data).withNodes(3));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_run_three_nodes_of_each_part() {
    assertThat(cluster.localParts().keySet()).containsExactly("etcd-1", "etcd-2", "etcd-3", "nats-1", "nats-2",
        "nats-3", "cassandra-1", "cassandra-2", "cassandra-3");
    assertThat(cluster.endpoints().etcdEndpoints()).hasSize(3);
    assertThat(cluster.endpoints().natsUrl().split(",")).extracting(url -> URI.create(url).getHost())
        .containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
    assertThat(cluster.endpoints().etcdEndpoints()).extracting(url -> URI.create(url).getHost())
        .containsExactly("127.0.0.21", "127.0.0.22", "127.0.0.23");
    assertThat(List.of("nats-1", "nats-2", "nats-3", "cassandra-1", "cassandra-2", "etcd-1", "etcd-3"))
        .extracting(part -> cluster.ownAddress(part).orElse("none"))
        .containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.31", "127.0.0.32", "127.0.0.21", "127.0.0.23");
    assertThat(cluster.endpoints().cqlContactPoints()).extracting(a -> a.getAddress().getHostAddress())
        .containsExactly("127.0.0.31", "127.0.0.32", "127.0.0.33");
  }

  @Test
  void should_have_each_new_table_on_every_node_once_its_schema_change_returns() {
    try (CqlSession cql = CqlSession.builder()
        .addContactPoints(cluster.endpoints().cqlContactPoints())
        .withLocalDatacenter(cluster.endpoints().cqlLocalDatacenter())
        .build()) {
      SchemaChanges changes = SchemaChanges.of(cql);
      changes.apply("CREATE KEYSPACE schema_it WITH replication = {'class': 'SimpleStrategy', "
          + "'replication_factor': 3}");
      for (int table = 0; table < 6; table++) {
        changes.apply("CREATE TABLE schema_it.t" + table + " (id int PRIMARY KEY, body text)");
        for (Node node : cql.getMetadata().getNodes().values()) {
          // No retry: a node that has not applied the change answers "table does not exist".
          assertThat(cql.execute(SimpleStatement.newInstance("SELECT * FROM schema_it.t" + table).setNode(node))
              .all()).as("table t%d read on %s", table, node.getEndPoint()).isEmpty();
        }
      }
    }
  }

  @Test
  void should_accept_every_quorum_write_while_one_store_node_is_killed_and_keep_them_all() throws Exception {
    try (CqlSession cql = CqlSession.builder()
        .addContactPoints(cluster.endpoints().cqlContactPoints())
        .withLocalDatacenter(cluster.endpoints().cqlLocalDatacenter())
        .build()) {
      assertThat(cql.getMetadata().getNodes()).hasSize(3);
      cql.execute(schemaChange("CREATE KEYSPACE cluster_it WITH replication = {'class': 'SimpleStrategy', "
          + "'replication_factor': 3}"));
      cql.execute(schemaChange("CREATE TABLE cluster_it.notes (id int PRIMARY KEY, body text)"));
      PreparedStatement insert = cql.prepare("INSERT INTO cluster_it.notes (id, body) VALUES (?, ?)");
      Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicInteger failed = new AtomicInteger();
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writer = new Thread(() -> {
        for (int id = 0; writing.get(); id++) {
          try {
            cql.execute(insert.bind(id, "note " + id).setConsistencyLevel(DefaultConsistencyLevel.QUORUM)
                .setIdempotent(true));
            acknowledged.add(id);
          } catch (RuntimeException e) {
            failed.incrementAndGet();
          }
        }
      }, "quorum-writer");
      writer.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 200);

      int beforeKill = acknowledged.size();
      cluster.restart("cassandra-2", true);
      int whileBack = acknowledged.size();
      await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= whileBack + 200);
      writing.set(false);
      writer.join();

      assertThat(whileBack - beforeKill).as("writes acknowledged while a node was down and restarting")
          .isGreaterThan(100);
      assertThat(failed.get()).as("writes refused around the kill (in flight to the killed node)")
          .isLessThanOrEqualTo(5);
      long stored = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(
          () -> cql.execute(cql.prepare("SELECT count(*) FROM cluster_it.notes").bind()
              .setConsistencyLevel(DefaultConsistencyLevel.ALL)).one().getLong(0), n -> n >= acknowledged.size());
      assertThat(stored).as("every acknowledged row, on all three replicas").isGreaterThanOrEqualTo(acknowledged.size());
    }
  }

  @Test
  void should_go_on_with_two_of_three_etcd_members_and_nats_servers_and_keep_push_jobs_on_three()
      throws Exception {
    ByteSequence key = ByteSequence.from("cluster-it", StandardCharsets.UTF_8);
    try (Client etcd = Client.builder()
        .endpoints(cluster.endpoints().etcdEndpoints().toArray(String[]::new)).build()) {
      etcd.getKVClient().put(key, ByteSequence.from("before", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);

      cluster.restart("etcd-1", true);

      etcd.getKVClient().put(key, ByteSequence.from("after", StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
      assertThat(etcd.getKVClient().get(key).get(10, TimeUnit.SECONDS).getKvs().get(0).getValue()
          .toString(StandardCharsets.UTF_8)).isEqualTo("after");
    }

    Connection nats = Nats.connect(new Options.Builder().servers(cluster.endpoints().natsUrl().split(","))
        .maxReconnects(-1).reconnectWait(Duration.ofMillis(100)).build());
    try {
      PushStreams streams = new PushStreams(new Subjects("clusterit"));
      streams.ensureCreated(nats);
      StreamInfo jobs = nats.jetStreamManagement().getStreamInfo(streams.jobsStream());
      assertThat(jobs.getConfiguration().getReplicas()).as("push jobs kept on three servers").isEqualTo(3);

      Subscription subscription = nats.subscribe("cluster-it");
      nats.flush(Duration.ofSeconds(5));
      String connectedTo = nats.getConnectedUrl();
      cluster.restart(List.of("nats-1", "nats-2", "nats-3").get(natsIndex(connectedTo)), true);

      await().atMost(Duration.ofSeconds(30)).until(() -> nats.getStatus() == Connection.Status.CONNECTED);
      nats.flush(Duration.ofSeconds(5));
      nats.publish("cluster-it", "after".getBytes(StandardCharsets.UTF_8));
      assertThat(subscription.nextMessage(Duration.ofSeconds(10))).as("delivered after failing over").isNotNull();
      assertThat(nats.jetStreamManagement().getStreamInfo(streams.jobsStream()).getConfiguration().getReplicas())
          .isEqualTo(3);
    } finally {
      nats.close();
    }
    assertThat(cluster.unexpectedExit()).isNotDone();
  }

  @Test
  void should_keep_every_published_push_job_when_the_whole_nats_cluster_is_killed_and_started_again()
      throws Exception {
    Connection nats = Nats.connect(new Options.Builder().servers(cluster.endpoints().natsUrl().split(","))
        .maxReconnects(-1).reconnectWait(Duration.ofMillis(100)).build());
    try {
      PushStreams streams = new PushStreams(new Subjects("wholenats"));
      streams.ensureCreated(nats);
      for (int i = 0; i < 20; i++) {
        nats.jetStream().publish(streams.jobsSubject(), ("job " + i).getBytes(StandardCharsets.UTF_8));
      }
      List<Long> oldPids = cluster.clusters().get(Infrastructure.NATS).stream()
          .map(part -> cluster.localParts().get(part)).toList();

      List<Infrastructure.PartRestart> restarts = cluster.restartAll(Infrastructure.NATS, true);

      assertThat(restarts).extracting(Infrastructure.PartRestart::part).containsExactly("nats-1", "nats-2", "nats-3");
      assertThat(restarts).extracting(Infrastructure.PartRestart::oldPid).containsExactlyElementsOf(oldPids);
      assertThat(restarts).allSatisfy(r -> assertThat(r.newPid()).isNotIn(oldPids));
      await().atMost(Duration.ofSeconds(30)).until(() -> nats.getStatus() == Connection.Status.CONNECTED);
      long kept = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(
          () -> nats.jetStreamManagement().getStreamInfo(streams.jobsStream()).getStreamState().getMsgCount(),
          count -> count == 20);
      assertThat(kept).as("acknowledged publications kept on disk across the restart of every server")
          .isEqualTo(20);
      // The stream's own leader may be elected a moment after its state is readable (no responders until
      // then, nats-server 2.10); the publication's id makes a repeat harmless.
      PublishOptions once = PublishOptions.builder().messageId("after-restart").build();
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
          nats.jetStream().publish(streams.jobsSubject(), "after".getBytes(StandardCharsets.UTF_8), once) != null);
      assertThat(nats.jetStreamManagement().getStreamInfo(streams.jobsStream()).getStreamState().getMsgCount())
          .isEqualTo(21);
    } finally {
      nats.close();
    }
    assertThat(cluster.unexpectedExit()).isNotDone();
  }

  private static int natsIndex(String connectedUrl) {
    List<String> urls = List.of(cluster.endpoints().natsUrl().split(","));
    for (int i = 0; i < urls.size(); i++) {
      if (connectedUrl.endsWith(urls.get(i).substring(urls.get(i).lastIndexOf(':')))) {
        return i;
      }
    }
    throw new AssertionError("connected to " + connectedUrl + ", none of " + urls);
  }

  /** A schema change waits for the three nodes to agree: far longer than a write's two seconds on a busy machine. */
  private static SimpleStatement schemaChange(String ddl) {
    return SimpleStatement.newInstance(ddl).setTimeout(Duration.ofSeconds(60));
  }
}
