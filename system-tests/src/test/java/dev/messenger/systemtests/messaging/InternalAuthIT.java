package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.common.Subjects;
import dev.messenger.common.UserEventPublisher;
import dev.messenger.common.config.Settings;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.internal.v1.UserEvent;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.Infrastructure;
import dev.messenger.launcher.InfrastructureConfig;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.launcher.Login;
import dev.messenger.launcher.NatsUser;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Internal trust (issue #13): with authentication on, the local etcd, NATS and Cassandra refuse clients without
 * the generated logins or with a wrong password, and serve those that present them, read as every service reads
 * its settings. A session server and a router in their own JVMs, given the logins only as MESSENGER_*
 * variables, register and own shards in etcd, become SERVING, carry a message end to end and never print a
 * password; a message forged with a session server's login reaches no device. The members of a NATS cluster with authentication still route to each other, and every member of
 * an etcd cluster requires the login.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class InternalAuthIT {
  private static final String NAMESPACE = "authit";
  private static final String FORGED = "forged with a stolen session login";
  private static Infrastructure infrastructure;
  private static InfrastructureEndpoints endpoints;

  @BeforeAll
  static void start() {
    infrastructure = Infrastructure.start(InfrastructureConfig.defaults().withAuthentication(), NAMESPACE);
    endpoints = infrastructure.endpoints();
  }

  @AfterAll
  static void stop() {
    if (infrastructure != null) {
      infrastructure.close();
    }
  }

  @Test
  void should_refuse_nats_clients_without_the_login() {
    Login wrong = new Login(Infrastructure.SERVICE_USER, "not-the-password");

    assertThatThrownBy(() -> connectNats(Optional.empty()).close())
        .isInstanceOf(IOException.class)
        .hasStackTraceContaining("Authorization Violation");
    assertThatThrownBy(() -> connectNats(Optional.of(wrong)).close())
        .isInstanceOf(IOException.class)
        .hasStackTraceContaining("Authorization Violation");
  }

  @Test
  void should_refuse_etcd_clients_without_the_login() {
    Login wrong = new Login(Infrastructure.SERVICE_USER, "not-the-password");

    assertThatThrownBy(() -> readEtcd(Optional.empty()))
        .isInstanceOf(ExecutionException.class)
        .hasStackTraceContaining("user name is empty");
    assertThatThrownBy(() -> readEtcd(Optional.of(wrong)))
        .isInstanceOf(ExecutionException.class)
        .hasStackTraceContaining("authentication failed");
  }

  @Test
  void should_keep_the_etcd_login_to_the_keys_of_its_namespace() throws Exception {
    InfraSettings infra = InfraSettings.from(Settings.of(new String[0], endpoints.toEnvironment()));
    ByteSequence outside = ByteSequence.from("/" + NAMESPACE + "-other/routers/r1", StandardCharsets.UTF_8);

    try (Client etcd = infra.connectEtcd()) {
      assertThatThrownBy(() -> etcd.getKVClient().put(outside, ByteSequence.from("x", StandardCharsets.UTF_8))
          .get(10, TimeUnit.SECONDS)).hasStackTraceContaining("permission denied");
      assertThatThrownBy(() -> etcd.getKVClient().get(outside).get(10, TimeUnit.SECONDS))
          .hasStackTraceContaining("permission denied");
    }
  }

  @Test
  void should_refuse_cql_sessions_without_the_login() {
    Login wrong = new Login(Infrastructure.SERVICE_USER, "not-the-password");

    for (Optional<Login> login : List.of(Optional.<Login>empty(), Optional.of(wrong))) {
      assertThatThrownBy(() -> connectCql(login).close())
          .isInstanceOfSatisfying(AllNodesFailedException.class, e -> assertThat(e.getAllErrors().values())
              .flatMap(errors -> errors)
              .hasAtLeastOneElementOfType(AuthenticationException.class));
    }
  }

  @Test
  void should_serve_clients_that_present_the_login_as_services_read_it() throws Exception {
    InfraSettings infra = InfraSettings.from(Settings.of(new String[0], endpoints.toEnvironment()));

    try (Connection nats = infra.connectNats("internal-auth-it"); CqlSession cql = infra.connectCql();
        Client etcd = infra.connectEtcd()) {
      nats.createDispatcher(request -> nats.publish(request.getReplyTo(), request.getData()))
          .subscribe("internal-auth.echo");
      io.nats.client.Message reply = nats.request("internal-auth.echo", "ping".getBytes(StandardCharsets.UTF_8),
          Duration.ofSeconds(5));
      assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("ping");
      assertThat(cql.execute("SELECT release_version FROM system.local").one().getString(0)).startsWith("5.0");
      ByteSequence key = ByteSequence.from("/" + NAMESPACE + "/written", StandardCharsets.UTF_8);
      etcd.getKVClient().put(key, ByteSequence.from("yes", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
      assertThat(etcd.getKVClient().get(key).get(10, TimeUnit.SECONDS).getKvs()).singleElement()
          .satisfies(kv -> assertThat(kv.getValue().toString(StandardCharsets.UTF_8)).isEqualTo("yes"));
    }
  }

  @Test
  void should_log_in_to_etcd_again_after_a_restart_forgot_its_token() throws Exception {
    InfraSettings infra = InfraSettings.from(Settings.of(new String[0], endpoints.toEnvironment()));
    ByteSequence key = ByteSequence.from("/" + NAMESPACE + "/restart", StandardCharsets.UTF_8);

    try (Client etcd = infra.connectEtcd()) {
      etcd.getKVClient().put(key, ByteSequence.from("before", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
      infrastructure.restart(Infrastructure.ETCD, false);

      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> etcd.getKVClient().get(key)
          .get(5, TimeUnit.SECONDS).getKvs().get(0).getValue().toString(StandardCharsets.UTF_8).equals("before"));
    }
  }

  @Test
  void should_run_services_given_the_logins_end_to_end() throws Exception {
    try (TestCluster cluster = TestCluster.startWithNatsUsers(infrastructure, NAMESPACE)) {
      int port = freePort();
      ChildProcess session = cluster.startSessionProcess("session-auth", port);
      ChildProcess router = cluster.startRouterProcesses("router-auth").get("router-auth");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .failFast("the session server exited", () -> !session.isAlive())
          .until(() -> health(port) == ServingStatus.SERVING);

      DeviceRecorder bob = new DeviceRecorder("bob-phone");
      MessengerClient aliceClient = connect(cluster, "alice", port, new DeviceRecorder("alice-phone"));
      MessengerClient bobClient = connect(cluster, "bob", port, bob);
      assertThat(aliceClient.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
      assertThat(bobClient.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
      SendAck ack = aliceClient.sendTo("bob", "over authenticated NATS and CQL").get(30, TimeUnit.SECONDS);

      await().atMost(Duration.ofSeconds(30)).until(() -> bob.in(ack.getConversationId()).size() == 1);
      assertThat(bob.in(ack.getConversationId())).extracting(Message::getBody)
          .containsExactly("over authenticated NATS and CQL");

      forgeTheNextMessageAsASessionServer("bob", ack);
      aliceClient.sendTo("bob", "after the forgery").get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(30))
          .failFast("the forged message reached the device", () -> bodies(bob, ack).contains(FORGED))
          .until(() -> bodies(bob, ack).contains("after the forgery"));
      assertThat(bodies(bob, ack)).containsExactly("over authenticated NATS and CQL", "after the forgery");
      assertThat(cluster.sessionAddresses()).singleElement().asString().endsWith(":" + port);
      assertThat(cluster.shardOwners().values()).containsOnly("router-auth");
      for (ChildProcess service : List.of(session, router)) {
        assertThat(Files.readString(service.logFile()))
            .doesNotContain(endpoints.natsLogin().orElseThrow().password())
            .doesNotContain(natsLogin(NatsUser.SESSION).password())
            .doesNotContain(natsLogin(NatsUser.ROUTER).password())
            .doesNotContain(endpoints.cqlLogin().orElseThrow().password())
            .doesNotContain(endpoints.etcdLogin().orElseThrow().password());
      }
    }
  }

  @Test
  void should_let_each_nats_login_use_only_the_subjects_of_its_kind() throws Exception {
    String submit = NAMESPACE + ".submit.3";
    NatsErrors routerErrors = new NatsErrors();
    NatsErrors sessionErrors = new NatsErrors();
    NatsErrors toolsErrors = new NatsErrors();
    NatsErrors presenceErrors = new NatsErrors();
    String routerSubject = new Subjects(NAMESPACE).user("bob", UserEventPublisher.ROUTER);
    byte[] forgedMessage = UserEvent.newBuilder().setMessage(Message.newBuilder().setBody(FORGED)).build().toByteArray();

    try (Connection router = connectNats(natsLogin(NatsUser.ROUTER), routerErrors);
        Connection session = connectNats(natsLogin(NatsUser.SESSION), sessionErrors);
        Connection presence = connectNats(natsLogin(NatsUser.PRESENCE), presenceErrors);
        Connection tools = connectNats(endpoints.natsLogin().orElseThrow(), toolsErrors)) {
      java.util.concurrent.BlockingQueue<String> submitted = new java.util.concurrent.LinkedBlockingQueue<>();
      router.createDispatcher(m -> submitted.add(new String(m.getData(), StandardCharsets.UTF_8))).subscribe(submit);
      router.flush(Duration.ofSeconds(5));

      router.publish(submit, "from a router".getBytes(StandardCharsets.UTF_8));
      tools.publish(submit, "from the tools".getBytes(StandardCharsets.UTF_8));
      session.publish(NAMESPACE + ".push.candidates", "a forged push".getBytes(StandardCharsets.UTF_8));
      session.publish(routerSubject, forgedMessage);
      presence.publish(routerSubject, forgedMessage);
      session.createDispatcher(m -> { }).subscribe(NAMESPACE + ".submit.*");
      session.publish(submit, "from a session server".getBytes(StandardCharsets.UTF_8));

      assertThat(submitted.poll(5, TimeUnit.SECONDS)).isEqualTo("from a session server");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(routerErrors.all()).anySatisfy(e -> assertThat(e).contains(violation("Publish", submit)));
        assertThat(toolsErrors.all()).anySatisfy(e -> assertThat(e).contains(violation("Publish", submit)));
        assertThat(sessionErrors.all())
            .anySatisfy(e -> assertThat(e).contains(violation("Publish", NAMESPACE + ".push.candidates")))
            .anySatisfy(e -> assertThat(e).contains(violation("Publish", routerSubject)))
            .anySatisfy(e -> assertThat(e).contains(violation("Subscription", NAMESPACE + ".submit.*")));
        assertThat(presenceErrors.all()).anySatisfy(e -> assertThat(e).contains(violation("Publish", routerSubject)));
      });
      assertThat(submitted).isEmpty();
    }
  }

  @Test
  void should_refuse_the_default_cassandra_superuser() {
    Login defaultSuperuser = new Login("cassandra", "cassandra");

    // Cassandra may keep a login it checked for up to 2 s (credentials_validity).
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(
        () -> connectCql(Optional.of(defaultSuperuser)).close())
        .isInstanceOfSatisfying(AllNodesFailedException.class, e -> assertThat(e.getAllErrors().values())
            .flatMap(errors -> errors)
            .hasAtLeastOneElementOfType(AuthenticationException.class)));
  }

  @Test
  void should_keep_the_routes_of_a_nats_cluster_working() throws Exception {
    // Only NATS starts: etcd and the CQL store are named as external and never reached.
    InfrastructureConfig natsCluster = new InfrastructureConfig(List.of("http://127.0.0.1:1"), Optional.empty(),
        List.of(new InetSocketAddress("127.0.0.1", 1)), null, null, null, 0, 0, null, null, 3, true);
    try (Infrastructure cluster = Infrastructure.start(natsCluster)) {
      String[] members = cluster.endpoints().natsUrl().split(",");
      Login login = cluster.endpoints().natsLogin().orElseThrow();
      assertThat(members).hasSize(3);
      assertThatThrownBy(() -> connectNats(members[0], Optional.empty()).close())
          .hasStackTraceContaining("Authorization Violation");

      try (Connection first = connectNats(members[0], Optional.of(login));
          Connection third = connectNats(members[2], Optional.of(login))) {
        first.createDispatcher(request -> first.publish(request.getReplyTo(), request.getData()))
            .subscribe("internal-auth.routed");
        first.flush(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> new String(third.request(
            "internal-auth.routed", "across".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1)).getData(),
            StandardCharsets.UTF_8).equals("across"));
      }
    }
  }

  @Test
  void should_turn_on_authentication_in_every_member_of_an_etcd_cluster() throws Exception {
    // Only etcd starts: NATS and the CQL store are named as external and never reached.
    InfrastructureConfig etcdCluster = new InfrastructureConfig(List.of(), Optional.of("nats://127.0.0.1:1"),
        List.of(new InetSocketAddress("127.0.0.1", 1)), null, null, null, 0, 0, null, null, 3, true);
    try (Infrastructure cluster = Infrastructure.start(etcdCluster)) {
      List<String> members = cluster.endpoints().etcdEndpoints();
      Login login = cluster.endpoints().etcdLogin().orElseThrow();
      ByteSequence key = ByteSequence.from("/" + Infrastructure.DEFAULT_NAMESPACE + "/cluster", StandardCharsets.UTF_8);
      assertThat(members).hasSize(3);

      try (Client first = etcdClient(members.get(0), Optional.of(login));
          Client third = etcdClient(members.get(2), Optional.of(login));
          Client anonymous = etcdClient(members.get(1), Optional.empty())) {
        first.getKVClient().put(key, ByteSequence.from("shared", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        assertThat(third.getKVClient().get(key).get(10, TimeUnit.SECONDS).getKvs()).hasSize(1);
        assertThatThrownBy(() -> anonymous.getKVClient().get(key).get(10, TimeUnit.SECONDS))
            .hasStackTraceContaining("user name is empty");
      }
    }
  }

  /**
   * With a session server's NATS login, publishes to {@code user} the message that would follow {@code ack} on
   * the session servers' user subject, where NATS lets it publish: the session server holding the user's
   * stream takes messages from routers only, so no device may show it.
   */
  private static void forgeTheNextMessageAsASessionServer(String user, SendAck ack) throws Exception {
    NatsErrors errors = new NatsErrors();
    try (Connection session = connectNats(natsLogin(NatsUser.SESSION), errors)) {
      session.publish(new Subjects(NAMESPACE).user(user, UserEventPublisher.SESSION), UserEvent.newBuilder()
          .setMessage(Message.newBuilder().setConversationId(ack.getConversationId()).setSeq(ack.getSeq() + 1)
              .setMessageId("forged").setSenderUserId("alice").setSenderDeviceId("phone").setBody(FORGED)
              .setServerTimeMs(System.currentTimeMillis()))
          .build().toByteArray());
      session.flush(Duration.ofSeconds(5)); // on its way to the session server before the next real message
      assertThat(errors.all()).isEmpty();
    }
  }

  private static List<String> bodies(DeviceRecorder device, SendAck ack) {
    return device.in(ack.getConversationId()).stream().map(Message::getBody).toList();
  }

  private static String violation(String operation, String subject) {
    return "Permissions Violation for " + operation + " to \"" + subject + "\"";
  }

  private static Login natsLogin(NatsUser user) {
    return infrastructure.endpointsFor(user).natsLogin().orElseThrow();
  }

  private static Connection connectNats(Login login, NatsErrors errors) throws IOException, InterruptedException {
    return Nats.connect(new Options.Builder()
        .server(endpoints.natsUrl())
        .noReconnect()
        .connectionTimeout(Duration.ofSeconds(5))
        .userInfo(login.user(), login.password())
        .errorListener(errors)
        .build());
  }

  /** The errors the server sent on a connection, as jnats reports them. */
  private static final class NatsErrors implements ErrorListener {
    private final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void errorOccurred(Connection connection, String error) {
      errors.add(error);
    }

    List<String> all() {
      return List.copyOf(errors);
    }
  }

  private static Connection connectNats(Optional<Login> login) throws IOException, InterruptedException {
    return connectNats(endpoints.natsUrl(), login);
  }

  private static Connection connectNats(String url, Optional<Login> login) throws IOException, InterruptedException {
    Options.Builder options = new Options.Builder()
        .server(url)
        .noReconnect()
        .connectionTimeout(Duration.ofSeconds(5));
    login.ifPresent(l -> options.userInfo(l.user(), l.password()));
    return Nats.connect(options.build());
  }

  private static void readEtcd(Optional<Login> login) throws Exception {
    try (Client etcd = etcdClient(String.join(",", endpoints.etcdEndpoints()), login)) {
      etcd.getKVClient().get(ByteSequence.from("/" + NAMESPACE + "/written", StandardCharsets.UTF_8))
          .get(20, TimeUnit.SECONDS);
    }
  }

  private static Client etcdClient(String urls, Optional<Login> login) {
    ClientBuilder builder = Client.builder().endpoints(urls.split(","));
    login.ifPresent(l -> builder.user(ByteSequence.from(l.user(), StandardCharsets.UTF_8))
        .password(ByteSequence.from(l.password(), StandardCharsets.UTF_8)));
    return builder.build();
  }

  private static CqlSession connectCql(Optional<Login> login) {
    var builder = CqlSession.builder()
        .addContactPoints(endpoints.cqlContactPoints())
        .withLocalDatacenter(endpoints.cqlLocalDatacenter());
    login.ifPresent(l -> builder.withAuthCredentials(l.user(), l.password()));
    return builder.build();
  }

  private static MessengerClient connect(TestCluster cluster, String user, int port, DeviceRecorder recorder) {
    String token = cluster.token(user, "phone");
    return cluster.track(MessengerClient.builder()
        .target("127.0.0.1:" + port)
        .tokenSupplier(() -> token)
        .listener(recorder)
        .cursorStore(new InMemoryCursorStore())
        .useDiscovery(false)
        .build()
        .start());
  }

  private static ServingStatus health(int port) {
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } catch (io.grpc.StatusRuntimeException e) {
      return ServingStatus.UNKNOWN;
    } finally {
      channel.shutdownNow();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
