package dev.messenger.systemtests.push;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.messenger.api.v1.ApnsEnvironment;
import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.PushDevicesGrpc;
import dev.messenger.api.v1.PushPlatform;
import dev.messenger.api.v1.RegisterDeviceRequest;
import dev.messenger.common.Subjects;
import dev.messenger.common.auth.AuthInterceptor;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.internal.v1.PushCandidate;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.launcher.JavaProcess;
import dev.messenger.launcher.ModuleClasspath;
import dev.messenger.push.PushConfig;
import dev.messenger.push.PushNode;
import dev.messenger.push.client.PushCandidatePublisher;
import dev.messenger.push.client.PushStreams;
import dev.messenger.push.provider.ProviderConfig;
import dev.messenger.push.provider.ProviderFactory;
import dev.messenger.push.queue.Providers;
import dev.messenger.push.store.DeviceRegistry;
import dev.messenger.push.store.PushStoreConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
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
 * A push deployment for one test class on the shared real infrastructure: its own keyspace (with history's
 * tables, as the history service creates them) and namespace, Pushy's mock APNs server and a local FCM
 * server, push instances in this JVM or as processes, and what routers and session servers would do (hand
 * over candidates, advance delivered cursors) done by the test.
 */
final class PushCluster implements AutoCloseable {
  static final String TOKEN_KEY = "system-test-signing-key-0123456789-abcdef";
  static final String TOPIC = "dev.messenger.app";
  static final String FCM_PROJECT = "messenger-test";

  final String name;
  final String keyspace;
  final Subjects subjects;
  final InfraSettings infra;
  final CqlSession cql;
  final Connection nats;
  final PushStoreConfig store;
  final TestCredentials credentials;
  final MockApns apns;
  final FcmTestServer fcm;
  final Path serviceAccount;
  final Path directory;
  final Tokens tokens = new Tokens(TOKEN_KEY, Clock.systemUTC());
  final PushCandidatePublisher publisher;
  final DeviceRegistry registry;
  private final List<PushNode> nodes = new ArrayList<>();
  private final List<ChildProcess> processes = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  private PushCluster(InfrastructureEndpoints endpoints, String keyspace) throws Exception {
    this.name = "pu" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    this.subjects = new Subjects(name);
    this.infra = new InfraSettings(endpoints.etcdEndpoints(), endpoints.natsUrl(), endpoints.cqlContactPoints(),
        endpoints.cqlLocalDatacenter());
    this.cql = infra.connectCql();
    this.keyspace = keyspace;
    this.store = PushStoreConfig.inKeyspace(keyspace);
    this.nats = infra.connectNats(name + "-test");
    Path root = ModuleClasspath.repositoryRoot();
    this.directory = Files.createDirectories(root.resolve("system-tests/target/push/" + name));
    this.credentials = TestCredentials.create(directory);
    this.apns = new MockApns(credentials);
    this.fcm = new FcmTestServer(credentials);
    // Google's own token endpoint: fcm-server sends it, as every request of the SDK, to the local server.
    this.serviceAccount = TestCredentials.serviceAccount(directory, FCM_PROJECT, "https://oauth2.googleapis.com/token");
    this.publisher = PushCandidatePublisher.create(nats, subjects);
    this.registry = new DeviceRegistry(cql, store);
  }

  /** A cluster in the run's shared push keyspace (see {@link PushKeyspace}) with a namespace of its own. */
  static PushCluster create(PushKeyspace.Shared shared) throws Exception {
    return new PushCluster(shared.endpoints(), shared.keyspace());
  }

  /**
   * What the push instances of this cluster are told about providers: APNs token auth against the mock
   * server, FCM with the test's service account against the local FCM server, both trusting the test's
   * certificate.
   */
  ProviderConfig providerConfig() {
    return new ProviderConfig(Optional.of(credentials.apnsSigningKey), "TEAMID1234", "TESTKEY123", Optional.empty(),
        "", Optional.of("127.0.0.1:" + apns.port), Optional.of(credentials.serverCertificatePem), 16,
        Optional.of(serviceAccount), Optional.of(fcm.origin()), Optional.of(credentials.serverCertificatePem), 16);
  }

  /** A push instance in this JVM with both providers pointed at the test servers, built as production builds them. */
  PushNode startPush(String id, PrometheusRegistry metrics, UnaryOperator<PushConfig> customize) throws Exception {
    Providers providers = ProviderFactory.build(providerConfig());
    PushConfig config = customize.apply(PushConfig.defaults(TOKEN_KEY).withInstanceId(id).withEphemeralPorts()
        .withStore(store).withSubjects(subjects));
    Connection connection = infra.connectNats(name + "-" + id);
    connections.add(connection);
    PushNode node = PushNode.start(config, connection, cql, providers, metrics, Clock.systemUTC());
    nodes.add(node);
    return node;
  }

  /** A push instance in its own JVM, as PushMain runs in production, with both providers from its flags. */
  ChildProcess startPushProcess(String id, List<String> extraArgs) throws Exception {
    Path root = ModuleClasspath.repositoryRoot();
    Map<String, String> env = new HashMap<>();
    env.put("MESSENGER_ETCD_ENDPOINTS", String.join(",", infra.etcdEndpoints()));
    env.put("MESSENGER_NATS_URL", infra.natsUrl());
    env.put("MESSENGER_CQL_CONTACT_POINTS", infra.cqlContactPoints().stream()
        .map(a -> a.getHostString() + ":" + a.getPort()).reduce((a, b) -> a + "," + b).orElseThrow());
    env.put("MESSENGER_CQL_DATACENTER", infra.cqlDatacenter());
    List<String> args = new ArrayList<>(List.of("--instance-id=" + id, "--grpc-port=0", "--metrics-port=0",
        "--token-key=" + TOKEN_KEY, "--namespace=" + name, "--cql-keyspace=" + keyspace,
        "--apns-key-file=" + credentials.apnsSigningKey, "--apns-team-id=TEAMID1234", "--apns-key-id=TESTKEY123",
        "--apns-server=127.0.0.1:" + apns.port, "--apns-trust-cert=" + credentials.serverCertificatePem,
        "--fcm-credentials-file=" + serviceAccount, "--fcm-server=" + fcm.origin(),
        "--fcm-trust-cert=" + credentials.serverCertificatePem));
    args.addAll(extraArgs);
    Path logs = Files.createDirectories(root.resolve("system-tests/target/process-logs"));
    ChildProcess process = JavaProcess.builder("dev.messenger.push.PushMain")
        .name(id)
        .classpath(ModuleClasspath.of(root, "services/push"))
        .jvmOptions("-Xmx256m")
        .environment(env)
        .args(args)
        .logFile(logs.resolve(name + "-" + id + ".log"))
        .start();
    processes.add(process);
    return process;
  }

  PushStreams streams() {
    return new PushStreams(subjects);
  }

  PushDevicesGrpc.PushDevicesBlockingStub devices(PushNode node, String user, String device) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION,
        "Bearer " + tokens.issue(new Principal(user, device), Duration.ofHours(1)));
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", node.port()).usePlaintext().build();
    channels.add(channel);
    return PushDevicesGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  PushDevicesGrpc.PushDevicesBlockingStub anonymous(PushNode node) {
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", node.port()).usePlaintext().build();
    channels.add(channel);
    return PushDevicesGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  static RegisterDeviceRequest apnsDevice(String token) {
    return RegisterDeviceRequest.newBuilder().setPlatform(PushPlatform.PUSH_PLATFORM_APNS).setToken(token)
        .setAppId(TOPIC).setApnsEnvironment(ApnsEnvironment.APNS_ENVIRONMENT_SANDBOX).build();
  }

  static RegisterDeviceRequest fcmDevice(String token) {
    return RegisterDeviceRequest.newBuilder().setPlatform(PushPlatform.PUSH_PLATFORM_FCM).setToken(token)
        .setAppId("1:1234:android:abcd").build();
  }

  /** A committed message of a 1:1 conversation, as the router hands it over. */
  static PushCandidate direct(String sender, String peer, long seq, String text) {
    String conversation = "dm:" + (sender.compareTo(peer) < 0 ? sender + ":" + peer : peer + ":" + sender);
    return PushCandidate.newBuilder().setConversationId(conversation).setSeq(seq)
        .setMessageId(UUID.randomUUID().toString()).setSenderUserId(sender).setSenderDeviceId("phone")
        .addMemberUserIds(sender).addMemberUserIds(peer).setServerTimeMs(System.currentTimeMillis())
        .setBodyPreview(text).setConversationKind(ConversationKind.CONVERSATION_KIND_DIRECT).build();
  }

  void publish(PushCandidate candidate) throws Exception {
    publisher.publish(candidate).get(10, TimeUnit.SECONDS);
  }

  /** What a session server writes when it delivered up to {@code seq} to the device. */
  void delivered(String user, String device, String conversation, long seq) {
    cql.execute(SimpleStatement.newInstance("UPDATE " + keyspace + ".device_cursors USING TIMESTAMP ? SET delivered_seq = ? "
        + "WHERE user_id = ? AND device_id = ? AND conversation_id = ?", seq, seq, user, device, conversation));
  }

  /** The value of a counter (summed over label sets matching {@code labels}), 0 when absent. */
  static double counter(PrometheusRegistry metrics, String name, Map<String, String> labels) {
    double sum = 0;
    for (MetricSnapshot snapshot : metrics.scrape()) {
      if (snapshot instanceof CounterSnapshot counter && counter.getMetadata().getPrometheusName()
          .equals(name.replaceAll("_total$", ""))) {
        for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
          boolean matches = labels.entrySet().stream()
              .allMatch(e -> e.getValue().equals(point.getLabels().get(e.getKey())));
          if (matches) {
            sum += point.getValue();
          }
        }
      }
    }
    return sum;
  }

  /** How many observations a histogram holds (summed over label sets matching {@code labels}). */
  static long histogramCount(PrometheusRegistry metrics, String name, Map<String, String> labels) {
    long count = 0;
    for (MetricSnapshot snapshot : metrics.scrape()) {
      if (snapshot instanceof HistogramSnapshot histogram
          && histogram.getMetadata().getPrometheusName().equals(name)) {
        for (HistogramSnapshot.HistogramDataPointSnapshot point : histogram.getDataPoints()) {
          if (labels.entrySet().stream().allMatch(e -> e.getValue().equals(point.getLabels().get(e.getKey())))) {
            count += point.getCount();
          }
        }
      }
    }
    return count;
  }

  @Override
  public void close() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    for (ChildProcess process : processes) {
      process.stop(Duration.ofSeconds(10));
    }
    nodes.forEach(PushNode::close);
    for (Connection connection : connections) {
      connection.close();
    }
    apns.close();
    fcm.close();
    try {
      nats.jetStreamManagement().deleteStream(streams().candidatesStream());
      nats.jetStreamManagement().deleteStream(streams().jobsStream());
    } catch (Exception e) {
      // the streams go with the test run's NATS anyway
    }
    nats.close();
    cql.close();
  }
}
