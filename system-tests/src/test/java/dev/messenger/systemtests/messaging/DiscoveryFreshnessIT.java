package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.DiscoveryGrpc;
import dev.messenger.api.v1.GetSessionServersRequest;
import dev.messenger.api.v1.SessionServer;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.stub.MetadataUtils;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Discovery stops offering a session server that was killed within about two seconds, not its lease TTL. */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DiscoveryFreshnessIT {
  private static final Duration BOUND = Duration.ofSeconds(2);
  private static TestCluster cluster;
  private static SessionNode survivor;
  private static ManagedChannel channel;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = TestCluster.start(endpoints);
    survivor = cluster.startSession("session-survivor", UnaryOperator.identity());
    channel = RawSession.channel(survivor.address(), 1 << 20);
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_drop_a_killed_session_server_from_discovery_within_two_seconds() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String doomedAddress = "127.0.0.1:" + port;
    ChildProcess doomed = cluster.startSessionProcess("session-doomed", port);
    await().atMost(Duration.ofSeconds(60)).until(() -> discovered().contains(doomedAddress));

    long killedAt = System.nanoTime();
    doomed.kill();
    await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> !discovered().contains(doomedAddress));
    Duration gone = Duration.ofNanos(System.nanoTime() - killedAt);

    assertThat(gone).isLessThanOrEqualTo(BOUND);
    assertThat(discovered()).containsExactly(survivor.address());
    // Its etcd registration outlives it (lease TTL 5 s): the heartbeats, not the lease, made the difference.
    assertThat(cluster.sessionAddresses()).contains(doomedAddress);
  }

  private static List<String> discovered() {
    return DiscoveryGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
            RawSession.bearer(cluster.token("dora", "phone"))))
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .getSessionServers(GetSessionServersRequest.getDefaultInstance())
        .getServersList().stream().map(SessionServer::getAddress).toList();
  }
}
