package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gRPC health means the service can work: a session server whose bus is cut off says NOT_SERVING (for the
 * whole server and for each of its services) within seconds, so a load balancer stops sending it devices,
 * and SERVING again once the bus is back. Its neighbour on the same bus stays SERVING throughout.
 */
@WithRealInfrastructure
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DependencyHealthIT {
  private static final String SESSION_SERVICE = "messenger.v1.Session";
  private static TestCluster cluster;
  private static TcpProxy proxy;
  private static SessionNode cutOff;
  private static SessionNode steady;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) throws Exception {
    cluster = TestCluster.start(endpoints);
    URI nats = URI.create(endpoints.natsUrl());
    proxy = new TcpProxy(new InetSocketAddress(nats.getHost(), nats.getPort()));
    cutOff = cluster.startSession("session-health-cut", UnaryOperator.identity(), "nats://127.0.0.1:" + proxy.port());
    steady = cluster.startSession("session-health-steady", UnaryOperator.identity());
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void should_say_not_serving_while_the_bus_is_unreachable_and_serving_once_it_is_back() {
    assertThat(status(cutOff, "")).isEqualTo(ServingStatus.SERVING);
    assertThat(status(cutOff, SESSION_SERVICE)).isEqualTo(ServingStatus.SERVING);

    proxy.cut();
    long cutAt = System.nanoTime();
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
        .until(() -> status(cutOff, "") == ServingStatus.NOT_SERVING);
    Duration untilNotServing = Duration.ofNanos(System.nanoTime() - cutAt);
    assertThat(status(cutOff, SESSION_SERVICE)).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(status(steady, "")).isEqualTo(ServingStatus.SERVING);
    // Three probes a second apart: one lost ping is not an outage.
    assertThat(untilNotServing).isGreaterThanOrEqualTo(Duration.ofSeconds(2));

    proxy.restore();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> status(cutOff, "") == ServingStatus.SERVING);
    assertThat(status(cutOff, SESSION_SERVICE)).isEqualTo(ServingStatus.SERVING);
  }

  private static ServingStatus status(SessionNode node, String service) {
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", node.port()).usePlaintext().build();
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    } finally {
      channel.shutdownNow();
    }
  }
}
