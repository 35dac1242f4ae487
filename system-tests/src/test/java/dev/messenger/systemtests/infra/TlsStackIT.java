package dev.messenger.systemtests.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.client.TransportSecurity;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.auth.DevDefaults;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.loadgen.run.LoadRun;
import dev.messenger.loadgen.run.RunResult;
import dev.messenger.loadgen.run.RunSettings;
import dev.messenger.loadgen.run.Scenario;
import dev.messenger.loadgen.run.Tally;
import dev.messenger.loadgen.run.Target;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./messenger up --tls}: every gRPC port serves TLS only with a certificate of the CA the stack made for
 * the run. A device trusting that CA (as the endpoints file tells the tools) sends a message that its peer,
 * also over TLS, receives live; a plaintext connection is refused; the load generator's devices and groups
 * run over TLS with no message lost, duplicated or out of order.
 */
@WithRealInfrastructure
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class TlsStackIT {
  @TempDir Path temp;

  @Test
  void should_serve_every_grpc_port_over_tls_only(InfrastructureEndpoints endpoints) throws Exception {
    Path root = Path.of(System.getProperty("messenger.repo.root", "..")).toAbsolutePath().normalize();
    LocalStack.Started started = LocalStack.start(root, temp, endpoints, "--tls");
    int base = started.base();
    try (ChildProcess stack = started.process()) {
      started.awaitReady(Duration.ofSeconds(300));
      Path ca = temp.resolve("run").resolve("tls").resolve("ca.pem");
      assertThat(Files.readAllLines(temp.resolve("run").resolve("endpoints.env")))
          .contains(TransportSecurity.CA_FILE_VARIABLE + "=" + ca);
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
