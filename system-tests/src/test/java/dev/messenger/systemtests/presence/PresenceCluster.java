package dev.messenger.systemtests.presence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.messenger.api.v1.PresenceGrpc;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.Subjects;
import dev.messenger.common.UserEventPublisher;
import dev.messenger.common.auth.AuthInterceptor;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.presence.PresenceConfig;
import dev.messenger.presence.PresenceNode;
import dev.messenger.presence.client.PresenceReporter;
import dev.messenger.presence.client.PresenceReporterConfig;
import dev.messenger.presence.store.PresenceStoreConfig;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.support.Observers;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A presence deployment for one test class on the shared real infrastructure: its own keyspace and
 * namespace, presence instances in this JVM, and what session servers would do (report streams and watches
 * through {@link PresenceReporter}, register under {@code /<ns>/sessions/}, relay user subjects) done by the
 * test itself.
 */
final class PresenceCluster implements AutoCloseable {
  static final String TOKEN_KEY = "system-test-signing-key-0123456789-abcdef";
  static final int PARTITIONS = 8;
  static final Duration GRACE = Duration.ofSeconds(1);
  static final Duration ONLINE_DELAY = Duration.ofMillis(200);
  static final Duration WARMUP = Duration.ofSeconds(1);
  static final Duration LEASE_TTL = Duration.ofSeconds(2);
  static final Duration REFRESH = Duration.ofMillis(500);

  final String name;
  final Subjects subjects;
  final InfraSettings infra;
  final CqlSession cql;
  final Client etcd;
  final Connection nats;
  final Tokens tokens = new Tokens(TOKEN_KEY, Clock.systemUTC());
  private final List<Connection> connections = new ArrayList<>();
  private final List<PresenceNode> nodes = new ArrayList<>();
  private final List<PresenceReporter> reporters = new ArrayList<>();
  private final List<Watcher> watchers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<FakeSessionServer> sessionServers = new ArrayList<>();
  private PreparedStatement insertConversation;
  private PreparedStatement insertGroupRow;
  private PreparedStatement insertMember;

  private PresenceCluster(InfrastructureEndpoints endpoints) {
    this.name = "pr" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    this.subjects = new Subjects(name);
    this.infra = new InfraSettings(endpoints.etcdEndpoints(), endpoints.natsUrl(), endpoints.cqlContactPoints(),
        endpoints.cqlLocalDatacenter());
    this.cql = infra.connectCql();
    this.etcd = infra.connectEtcd();
    this.nats = infra.connectNats(name + "-test");
  }

  static PresenceCluster create(InfrastructureEndpoints endpoints) {
    return new PresenceCluster(endpoints);
  }

  /** A presence instance with the test timings; the first one also creates the schema. */
  PresenceNode startPresence(String instanceId, PrometheusRegistry registry) {
    PresenceConfig config = PresenceConfig.defaults(TOKEN_KEY)
        .withInstanceId(instanceId)
        .withEphemeralPorts()
        .withStore(PresenceStoreConfig.inKeyspace(name))
        .withSubjects(subjects)
        .withPartitions(PARTITIONS)
        .withTimings(GRACE, ONLINE_DELAY, WARMUP)
        .withCluster(LEASE_TTL, Duration.ofMillis(200), REFRESH, Duration.ofMillis(50));
    PresenceNode node = PresenceNode.start(config, etcd, connect(instanceId), cql, registry);
    nodes.add(node);
    ensureConversationsTable();
    return node;
  }

  /** What a session server with this id reports, refreshing every {@code refresh}. */
  PresenceReporter reporter(String serverId, Duration refresh) {
    PresenceReporter reporter = PresenceReporter.start(connect(serverId),
        PresenceReporterConfig.defaults(subjects, serverId).withPartitions(PARTITIONS).withRefreshInterval(refresh));
    reporters.add(reporter);
    return reporter;
  }

  /** Registers {@code /<ns>/sessions/<serverId>} under a lease of {@link #LEASE_TTL}, as session servers do. */
  FakeSessionServer registerSessionServer(String serverId) throws Exception {
    long lease = etcd.getLeaseClient().grant(LEASE_TTL.toSeconds()).get(5, TimeUnit.SECONDS).getID();
    etcd.getKVClient()
        .put(bytes(subjects.etcdPrefix("sessions") + serverId), bytes("127.0.0.1:1 0"),
            PutOption.builder().withLeaseId(lease).build())
        .get(5, TimeUnit.SECONDS);
    CloseableClient keepAlive = etcd.getLeaseClient().keepAlive(lease, Observers.observer(response -> { }));
    FakeSessionServer server = new FakeSessionServer(keepAlive);
    sessionServers.add(server);
    return server;
  }

  /** Whether {@code /<ns>/sessions/<serverId>} exists in etcd. */
  boolean sessionServerRegistered(String serverId) throws Exception {
    return etcd.getKVClient().get(bytes(subjects.etcdPrefix("sessions") + serverId)).get(5, TimeUnit.SECONDS)
        .getCount() > 0;
  }

  /** Records the presence updates published on the user's subject (what their streams would receive). */
  Watcher watcher(String userId) throws Exception {
    Watcher watcher = new Watcher(nats, subjects.user(userId, UserEventPublisher.PRESENCE));
    watchers.add(watcher);
    return watcher;
  }

  /** Makes the two users contacts: the conversation's row and a conversation row for each, as history writes them. */
  void addContacts(String a, String b) {
    String conversation = ConversationIds.direct(a, b);
    cql.execute(insertConversation.bind(a, conversation, b));
    cql.execute(insertConversation.bind(b, conversation, a));
    cql.execute("INSERT INTO " + name + ".conversations (conversation_id, kind) VALUES (?, 1)", conversation);
  }

  /** Puts the users in one group: its conversation row for each and their member rows, as history writes them. */
  void addGroup(String groupId, String... members) {
    for (String member : members) {
      cql.execute(insertGroupRow.bind(member, groupId));
      cql.execute(insertMember.bind(groupId, member));
    }
  }

  /** Takes a member out of the group's member rows; their conversation row stays, as in history. */
  void removeFromGroup(String groupId, String member) {
    cql.execute("DELETE FROM " + name + ".group_members WHERE conversation_id = ? AND user_id = ?", groupId, member);
  }

  /** A Presence API stub for the user, on the given instance. */
  PresenceGrpc.PresenceBlockingStub blocking(PresenceNode node, String userId) {
    return PresenceGrpc.newBlockingStub(channel(node)).withInterceptors(auth(userId))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  PresenceGrpc.PresenceStub async(PresenceNode node, String userId) {
    return PresenceGrpc.newStub(channel(node)).withInterceptors(auth(userId));
  }

  PresenceGrpc.PresenceBlockingStub anonymous(PresenceNode node) {
    return PresenceGrpc.newBlockingStub(channel(node)).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    reporters.forEach(PresenceReporter::close);
    nodes.forEach(PresenceNode::close);
    for (FakeSessionServer server : sessionServers) {
      server.crash();
    }
    for (Watcher watcher : watchers) {
      watcher.close();
    }
    for (Connection connection : connections) {
      connection.close();
    }
    nats.close();
    etcd.close();
    cql.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + name).setTimeout(Duration.ofSeconds(60)));
    cql.close();
  }

  private Connection connect(String connectionName) {
    Connection connection = infra.connectNats(name + "-" + connectionName);
    connections.add(connection);
    return connection;
  }

  private io.grpc.ClientInterceptor auth(String userId) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION,
        "Bearer " + tokens.issue(new Principal(userId, "web"), Duration.ofHours(1)));
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  private ManagedChannel channel(PresenceNode node) {
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", node.port()).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  private synchronized void ensureConversationsTable() {
    if (insertConversation != null) {
      return;
    }
    // The columns of history's user_conversations and group_members (presence reads a few of them).
    cql.execute("CREATE TABLE IF NOT EXISTS " + name + ".user_conversations (user_id text, conversation_id text, "
        + "kind int, peer_user_id text, title text, last_seq bigint, last_message blob, last_time_ms bigint, "
        + "read_seq bigint, PRIMARY KEY ((user_id), conversation_id))");
    insertConversation = cql.prepare("INSERT INTO " + name
        + ".user_conversations (user_id, conversation_id, peer_user_id, kind) VALUES (?, ?, ?, 1)");
    cql.execute("CREATE TABLE IF NOT EXISTS " + name + ".conversations (conversation_id text PRIMARY KEY, kind int, "
        + "members set<text>, title text, created_ms bigint, last_seq bigint, projected_seq bigint)");
    cql.execute("CREATE TABLE IF NOT EXISTS " + name + ".group_members (conversation_id text, user_id text, role int, "
        + "since_seq bigint, title text static, created_ms bigint static, version bigint static, "
        + "PRIMARY KEY ((conversation_id), user_id))");
    insertGroupRow = cql.prepare("INSERT INTO " + name
        + ".user_conversations (user_id, conversation_id, kind) VALUES (?, ?, 2)");
    insertMember = cql.prepare("INSERT INTO " + name + ".group_members (conversation_id, user_id, role) VALUES (?, ?, 3)");
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  /** A session server's etcd registration that the test can let expire, as a kill -9 would. */
  static final class FakeSessionServer {
    private final CloseableClient keepAlive;

    private FakeSessionServer(CloseableClient keepAlive) {
      this.keepAlive = keepAlive;
    }

    /** Stops keeping the lease alive without revoking it: the key goes when the TTL runs out. */
    void crash() {
      keepAlive.close();
    }
  }
}
