package dev.messenger.systemtests.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.client.TransportSecurity;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.auth.DevDefaults;
import dev.messenger.common.config.Settings;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.loadgen.run.LoadRun;
import dev.messenger.loadgen.run.RunResult;
import dev.messenger.loadgen.run.RunSettings;
import dev.messenger.loadgen.run.Scenario;
import dev.messenger.loadgen.run.Tally;
import dev.messenger.loadgen.run.Target;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./messenger up --tls}: every gRPC port, and the client ports of the stack's own etcd, NATS and
 * Cassandra, serve TLS only with a certificate of the CA the stack made for the run. Plaintext clients of each
 * are refused, while clients configured as the endpoints file tells them connect. A device trusting that CA (as the endpoints file tells the tools) sends a message that its peer,
 * also over TLS, receives live; a plaintext connection is refused; the load generator's devices and groups
 * run over TLS with no message lost, duplicated or out of order.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class TlsStackIT {
  @TempDir Path temp;

  @Test
  void should_serve_every_grpc_port_and_the_infrastructure_over_tls_only() throws Exception {
    Path root = Path.of(System.getProperty("messenger.repo.root", "..")).toAbsolutePath().normalize();
    LocalStack.Started started = LocalStack.startWithOwnInfrastructure(root, temp, "--tls");
    int base = started.base();
    try (ChildProcess stack = started.process()) {
      started.awaitReady(Duration.ofSeconds(300));
      Path ca = temp.resolve("run").resolve("tls").resolve("ca.pem");
      Map<String, String> endpointsFile = readEndpointsFile(temp.resolve("run").resolve("endpoints.env"));
      assertThat(endpointsFile)
          .containsEntry(TransportSecurity.CA_FILE_VARIABLE, ca.toString())
          .containsEntry("MESSENGER_INFRA_CA_FILE", ca.toString())
          .containsEntry("MESSENGER_CQL_TLS", "true");
      assertInfrastructureRefusesPlaintextAndServesTls(endpointsFile);
      ChannelCredentials trusting = TransportSecurity.trusting(ca);
      for (int offset : List.of(100, 200, 300, 400, 500)) {
        assertThat(health(base + offset, trusting)).as("port %d over TLS", base + offset)
            .isEqualTo(ServingStatus.SERVING);
      }
      assertThatThrownBy(() -> health(base + 100, TransportSecurity.plaintext()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

      // Users of their own: the store is shared with the other stack tests of the run (StackIT's alice and bob).
      try (DefaultStackUser alice = DefaultStackUser.signIn(root, temp, "tls-alice", "laptop", base, trusting);
          DefaultStackUser bob = DefaultStackUser.signIn(root, temp, "tls-bob", "phone", base, trusting)) {
        List<ServerFrame> frames = new CopyOnWriteArrayList<>();
        bob.subscribe(new StreamObserver<>() {
          @Override
          public void onNext(ServerFrame frame) {
            frames.add(frame);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> frames.stream().anyMatch(ServerFrame::hasCaughtUp));

        assertThat(alice.sendTo("tls-bob", "tls-1", "over tls").getSeq()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(frames)
            .filteredOn(ServerFrame::hasDelivery)
            .extracting(frame -> frame.getDelivery().getMessage())
            .extracting(Message::getConversationId, Message::getBody)
            .containsExactly(tuple(ConversationIds.direct("tls-alice", "tls-bob"), "over tls")));
      }
      loadOverTls(base, ca);
    }
  }

  /** The load generator's devices and group creation, given the CA as ./messenger loadgen gives it. */
  private static void loadOverTls(int base, Path ca) throws InterruptedException {
    Scenario scenario = Scenario.of(10, 1, 1, Duration.ofSeconds(5)).withDrain(Duration.ofSeconds(5))
        .withGroups(0.3, List.of(3));
    Target target = new Target(List.of("127.0.0.1:" + (base + 100)), DevDefaults.TOKEN_KEY, true, 1, List.of(),
        Optional.of(ca));

    RunResult result = new LoadRun(scenario, target, RunSettings.quiet()).execute();

    Tally tally = result.tally();
    assertThat(result.connections().devicesConnected()).isEqualTo(10);
    assertThat(tally.acked()).isPositive();
    assertThat(tally.lost() + tally.duplicated() + tally.outOfOrder()).isZero();
    assertThat(tally.deliveredOfAcked()).isEqualTo(tally.expectedDeliveries());
  }

  /** Each part refuses a client that does not speak TLS and serves one configured as the services are. */
  private static void assertInfrastructureRefusesPlaintextAndServesTls(Map<String, String> endpointsFile)
      throws Exception {
    InfraSettings infra = InfraSettings.from(Settings.of(new String[0], endpointsFile));
    assertThat(infra.etcdEndpoints()).allMatch(url -> url.startsWith("https://"));
    assertThat(infra.natsUrl()).startsWith("tls://");
    assertThat(infra.tls()).satisfies(tls -> assertThat(List.of(tls.etcd(), tls.nats(), tls.cql()))
        .containsOnly(true));

    String plainNats = infra.natsUrl().replace("tls://", "nats://");
    assertThatThrownBy(() -> Nats.connect(new Options.Builder().server(plainNats).noReconnect()
        .connectionTimeout(Duration.ofSeconds(5)).build()).close())
        .isInstanceOf(IOException.class);
    String plainEtcd = infra.etcdEndpoints().get(0).replace("https://", "http://");
    try (Client etcd = Client.builder().endpoints(plainEtcd).retryMaxDuration(Duration.ofSeconds(2)).build()) {
      assertThatThrownBy(() -> etcd.getKVClient().get(ByteSequence.from("/tls-it", StandardCharsets.UTF_8))
          .get(10, TimeUnit.SECONDS))
          .isInstanceOfAny(ExecutionException.class, TimeoutException.class);
    }
    assertThatThrownBy(() -> CqlSession.builder().addContactPoints(infra.cqlContactPoints())
        .withLocalDatacenter(infra.cqlDatacenter()).build().close())
        .isInstanceOf(AllNodesFailedException.class);

    try (Connection nats = infra.connectNats("tls-stack-it"); CqlSession cql = infra.connectCql();
        Client etcd = infra.connectEtcd()) {
      assertThat(nats.getServerInfo().isTLSRequired()).isTrue();
      assertThat(cql.execute("SELECT release_version FROM system.local").one().getString(0)).startsWith("5.0");
      ByteSequence key = ByteSequence.from("/tls-it/written", StandardCharsets.UTF_8);
      etcd.getKVClient().put(key, ByteSequence.from("yes", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
      assertThat(etcd.getKVClient().get(key).get(10, TimeUnit.SECONDS).getKvs()).hasSize(1);
    }
  }

  private static Map<String, String> readEndpointsFile(Path file) throws IOException {
    Map<String, String> variables = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int equals = line.indexOf('=');
      if (!line.startsWith("#") && equals > 0) {
        variables.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return variables;
  }

  private static ServingStatus health(int port, ChannelCredentials credentials) {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } finally {
      channel.shutdownNow();
    }
  }
}
