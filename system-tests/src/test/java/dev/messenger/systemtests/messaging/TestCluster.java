package dev.messenger.systemtests.messaging;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.client.MessengerClient;
import dev.messenger.client.MessengerListener;
import dev.messenger.common.Subjects;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.infra.Credentials;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.history.store.HistorySchema;
import dev.messenger.history.store.HistoryStore;
import dev.messenger.router.log.MessageLog;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.Infrastructure;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.launcher.JavaProcess;
import dev.messenger.launcher.Login;
import dev.messenger.launcher.ModuleClasspath;
import dev.messenger.launcher.NatsUser;
import dev.messenger.router.Router;
import dev.messenger.router.RouterConfig;
import dev.messenger.session.SessionConfig;
import dev.messenger.session.SessionNode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A messenger deployment for one test class on the shared real infrastructure: its own keyspace and
 * namespace, session servers and routers in this JVM, and optionally routers as separate processes that a
 * test can kill -9.
 */
final class TestCluster implements AutoCloseable {
  static final String TOKEN_KEY = "system-test-signing-key-0123456789-abcdef";

  final InfraSettings infra;
  final HistoryConfig historyConfig;
  final Subjects subjects;
  final CqlSession cql;
  final HistoryStore history;
  final MessageLog log;
  final Tokens tokens = new Tokens(TOKEN_KEY, Clock.systemUTC());
  final List<SessionNode> sessions = new ArrayList<>();
  final List<Router> routers = new ArrayList<>();
  final List<ChildProcess> processes = new ArrayList<>();
  private final Client etcd;
  private final List<Connection> natsConnections = new ArrayList<>();
  private final List<MessengerClient> clients = new ArrayList<>();
  private final String name;
  private final Map<String, Login> natsLoginByModule;

  private TestCluster(InfrastructureEndpoints endpoints) {
    this(endpoints, "it" + UUID.randomUUID().toString().replace("-", "").substring(0, 10), Map.of());
  }

  private TestCluster(InfrastructureEndpoints endpoints, String name, Map<String, Login> natsLoginByModule) {
    this.name = name;
    this.natsLoginByModule = Map.copyOf(natsLoginByModule);
    this.infra = new InfraSettings(endpoints.etcdEndpoints(), endpoints.natsUrl(), endpoints.cqlContactPoints(),
        endpoints.cqlLocalDatacenter(), credentials(endpoints.natsLogin()), credentials(endpoints.cqlLogin()),
        credentials(endpoints.etcdLogin()));
    this.historyConfig = HistoryConfig.inKeyspace(name);
    this.subjects = new Subjects(name);
    this.cql = infra.connectCql();
    HistorySchema.create(cql, historyConfig);
    PrometheusRegistry historyRegistry = new PrometheusRegistry();
    this.history = HistoryStore.open(cql, historyConfig, historyRegistry, Clock.systemUTC());
    this.log = MessageLog.open(cql, historyConfig, historyRegistry, Clock.systemUTC());
    this.etcd = infra.connectEtcd();
  }

  static TestCluster start(InfrastructureEndpoints endpoints) {
    return new TestCluster(endpoints);
  }

  /**
   * A cluster in the namespace an infrastructure with a NATS user per kind was started for: the session and
   * router processes log in to NATS as their kind, as {@code ./messenger up --auth} starts them.
   */
  static TestCluster startWithNatsUsers(Infrastructure infrastructure, String namespace) {
    Map<String, Login> logins = new HashMap<>();
    infrastructure.endpointsFor(NatsUser.SESSION).natsLogin().ifPresent(l -> logins.put("services/session", l));
    infrastructure.endpointsFor(NatsUser.ROUTER).natsLogin().ifPresent(l -> logins.put("services/router", l));
    return new TestCluster(infrastructure.endpoints(), namespace, logins);
  }

  /** The login of an infrastructure started with authentication, as services read it. */
  static Optional<Credentials> credentials(Optional<Login> login) {
    return login.map(l -> new Credentials(l.user(), l.password()));
  }

  SessionNode startSession(String id, UnaryOperator<SessionConfig> customize) {
    return startSession(id, customize, infra.natsUrl());
  }

  /** A session server whose NATS connection goes to {@code natsUrl} (e.g. through a {@link TcpProxy}). */
  SessionNode startSession(String id, UnaryOperator<SessionConfig> customize, String natsUrl) {
    Connection nats = new InfraSettings(infra.etcdEndpoints(), natsUrl, infra.cqlContactPoints(),
        infra.cqlDatacenter(), infra.natsCredentials(), infra.cqlCredentials(), infra.etcdCredentials())
        .connectNats(id);
    natsConnections.add(nats);
    SessionConfig config = customize.apply(SessionConfig.defaults(id, TOKEN_KEY).withSubjects(subjects));
    SessionNode node = SessionNode.start(config, etcd, nats, cql, historyConfig, new PrometheusRegistry());
    sessions.add(node);
    return node;
  }

  Router startRouter(String id) {
    return startRouter(id, UnaryOperator.identity());
  }

  Router startRouter(String id, UnaryOperator<RouterConfig> customize) {
    Connection nats = infra.connectNats(id);
    natsConnections.add(nats);
    Router router = Router.start(customize.apply(RouterConfig.defaults(id).withSubjects(subjects)), etcd, nats, cql,
        historyConfig, new PrometheusRegistry());
    routers.add(router);
    return router;
  }

  /** A router in its own JVM, exactly as RouterMain runs in production. */
  ChildProcess startRouterProcess(String id) throws Exception {
    return startProcess(id, "services/router", "dev.messenger.router.RouterMain",
        List.of("--router-id=" + id, "--grpc-port=0", "--metrics-port=0"));
  }

  /** Routers in their own JVMs, once every shard has an owner and each of them owns some. */
  Map<String, ChildProcess> startRouterProcesses(String... ids) throws Exception {
    Map<String, ChildProcess> started = new HashMap<>();
    for (String id : ids) {
      started.put(id, startRouterProcess(id));
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ownedShards() == 64
        && shardOwners().values().stream().distinct().count() == ids.length);
    return Map.copyOf(started);
  }

  /** A session server in its own JVM on {@code port}, as SessionMain runs in production. */
  ChildProcess startSessionProcess(String id, int port, String... extraArgs) throws Exception {
    List<String> args = new ArrayList<>(
        List.of("--server-id=" + id, "--grpc-port=" + port, "--metrics-port=0", "--token-key=" + TOKEN_KEY));
    args.addAll(List.of(extraArgs));
    return startProcess(id, "services/session", "dev.messenger.session.SessionMain", args);
  }

  private ChildProcess startProcess(String id, String module, String mainClass, List<String> args)
      throws Exception {
    Path root = Path.of(System.getProperty("messenger.repo.root", "..")).toAbsolutePath().normalize();
    Map<String, String> env = new HashMap<>();
    env.put("MESSENGER_ETCD_ENDPOINTS", String.join(",", infra.etcdEndpoints()));
    env.put("MESSENGER_NATS_URL", infra.natsUrl());
    env.put("MESSENGER_CQL_CONTACT_POINTS", infra.cqlContactPoints().stream()
        .map(a -> a.getHostString() + ":" + a.getPort()).reduce((a, b) -> a + "," + b).orElseThrow());
    env.put("MESSENGER_CQL_DATACENTER", infra.cqlDatacenter());
    env.putAll(infra.credentialVariables());
    Login natsLogin = natsLoginByModule.get(module);
    if (natsLogin != null) {
      env.put(InfrastructureEndpoints.NATS_USER_VARIABLE, natsLogin.user());
      env.put(InfrastructureEndpoints.NATS_PASSWORD_VARIABLE, natsLogin.password());
    }
    Path logs = Files.createDirectories(root.resolve("system-tests/target/process-logs"));
    List<String> allArgs = new ArrayList<>(args);
    allArgs.add("--namespace=" + name);
    allArgs.add("--cql-keyspace=" + name);
    ChildProcess process = JavaProcess.builder(mainClass)
        .name(id)
        .classpath(ModuleClasspath.of(root, module))
        .jvmOptions("-Xmx256m")
        .environment(env)
        .args(allArgs)
        .logFile(logs.resolve(name + "-" + id + ".log"))
        .start();
    processes.add(process);
    return process;
  }

  /** Number of shards with an owner in etcd. */
  int ownedShards() throws Exception {
    ByteSequence prefix = ByteSequence.from(subjects.etcdPrefix("shards"), StandardCharsets.UTF_8);
    return (int) etcd.getKVClient().get(prefix, GetOption.builder().isPrefix(true).withCountOnly(true).build())
        .get(5, TimeUnit.SECONDS).getCount();
  }

  /** Shard number to owning router id, as etcd has it now. */
  Map<Integer, String> shardOwners() throws Exception {
    String prefix = subjects.etcdPrefix("shards");
    Map<Integer, String> owners = new HashMap<>();
    for (var kv : etcd.getKVClient().get(ByteSequence.from(prefix, StandardCharsets.UTF_8),
        GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS).getKvs()) {
      owners.put(Integer.parseInt(kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length())),
          kv.getValue().toString(StandardCharsets.UTF_8));
    }
    return owners;
  }

  /** The lease of each session server's registration, by server id, as etcd has it now. */
  Map<String, Long> sessionLeases() throws Exception {
    String prefix = subjects.etcdPrefix("sessions");
    Map<String, Long> leases = new HashMap<>();
    for (var kv : etcd.getKVClient().get(ByteSequence.from(prefix, StandardCharsets.UTF_8),
        GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS).getKvs()) {
      leases.put(kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length()), kv.getLease());
    }
    return leases;
  }

  /** Revokes a lease as its expiry would. */
  void revokeLease(long lease) throws Exception {
    etcd.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);
  }

  /** The value at {@code key} in etcd, or null. */
  String etcdValue(String key) throws Exception {
    var kvs = etcd.getKVClient().get(ByteSequence.from(key, StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS).getKvs();
    return kvs.isEmpty() ? null : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
  }

  /** Addresses of the session servers registered in etcd. */
  java.util.Set<String> sessionAddresses() throws Exception {
    java.util.Set<String> addresses = new java.util.HashSet<>();
    for (var kv : etcd.getKVClient().get(ByteSequence.from(subjects.etcdPrefix("sessions"), StandardCharsets.UTF_8),
        GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS).getKvs()) {
      addresses.add(kv.getValue().toString(StandardCharsets.UTF_8).split(" ")[0]);
    }
    return addresses;
  }

  String token(String user, String device) {
    return tokens.issue(new Principal(user, device), Duration.ofHours(1));
  }

  MessengerClient.Builder clientBuilder(String user, String device, SessionNode target, MessengerListener listener) {
    String token = token(user, device);
    return MessengerClient.builder()
        .target(target.address())
        .tokenSupplier(() -> token)
        .listener(listener);
  }

  MessengerClient track(MessengerClient client) {
    clients.add(client);
    return client;
  }

  @Override
  public void close() throws Exception {
    clients.forEach(MessengerClient::close);
    for (ChildProcess process : processes) {
      process.stop(Duration.ofSeconds(10));
    }
    sessions.forEach(SessionNode::close);
    routers.forEach(Router::close);
    for (Connection nats : natsConnections) {
      nats.close();
    }
    etcd.close();
    cql.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + name)
        .setTimeout(Duration.ofSeconds(60)));
    cql.close();
  }
}
