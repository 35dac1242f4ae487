package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.messenger.common.Subjects;
import dev.messenger.common.health.NatsEchoProbe;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The NATS health probe is an echo through the server. A server that stops answering while the connection
 * stays open (what a stopped process looks like to its clients) fails it, and after a few failures the
 * connection is moved to another server: jnats' own keep-alive would notice only after two unanswered pings
 * two minutes apart.
 */
@WithRealInfrastructure
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NatsEchoProbeIT {

  @Test
  void should_fail_while_its_server_is_silent_and_move_the_connection_to_one_that_answers(
      InfrastructureEndpoints endpoints) throws Exception {
    URI nats = URI.create(endpoints.natsUrl().split(",")[0]);
    try (TcpProxy silentServer = new TcpProxy(new InetSocketAddress(nats.getHost(), nats.getPort()))) {
      String viaProxy = "nats://127.0.0.1:" + silentServer.port();
      Connection connection = Nats.connect(new Options.Builder()
          .servers(new String[] {viaProxy, nats.toString()}).noRandomize()
          .maxReconnects(-1).reconnectWait(Duration.ofMillis(200)).connectionTimeout(Duration.ofSeconds(2))
          .build());
      try {
        assertThat(connection.getConnectedUrl()).endsWith(":" + silentServer.port());
        NatsEchoProbe probe = NatsEchoProbe.start(connection, new Subjects("echoit"), Duration.ofMillis(500), 3);
        probe.ping().toCompletableFuture().get(5, TimeUnit.SECONDS);

        silentServer.stall();
        assertThatThrownBy(() -> probe.ping().toCompletableFuture().get(5, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> answers(probe));
        assertThat(connection.getConnectedUrl()).doesNotEndWith(":" + silentServer.port());
        assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);

        connection.close();
        assertThat(probe.ping().toCompletableFuture()).isCompletedExceptionally();
      } finally {
        connection.close();
      }
    }
  }

  /**
   * The services' own connection options leave a silent server by themselves, probe or not: a PING every 2 s,
   * and the connection ended once three are unanswered (jnats' default would wait minutes).
   */
  @Test
  void should_leave_a_silent_server_within_seconds_with_the_services_connection_options(
      InfrastructureEndpoints endpoints) throws Exception {
    URI nats = URI.create(endpoints.natsUrl().split(",")[0]);
    try (TcpProxy silentServer = new TcpProxy(new InetSocketAddress(nats.getHost(), nats.getPort()))) {
      String viaProxy = "nats://127.0.0.1:" + silentServer.port();
      InfraSettings services = new InfraSettings(List.of(), viaProxy + "," + nats, List.of(), null);
      Connection connection = Nats.connect(services.natsOptions("silent-server-it").noRandomize().build());
      try {
        assertThat(connection.getConnectedUrl()).endsWith(":" + silentServer.port());

        silentServer.stall();
        long stalledAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
            connection.getStatus() == Connection.Status.CONNECTED
                && !connection.getConnectedUrl().endsWith(":" + silentServer.port()));
        assertThat(Duration.ofNanos(System.nanoTime() - stalledAt)).isLessThan(Duration.ofSeconds(12));
        connection.flush(Duration.ofSeconds(5));
      } finally {
        connection.close();
      }
    }
  }

  private static boolean answers(NatsEchoProbe probe) throws InterruptedException {
    try {
      probe.ping().toCompletableFuture().get(5, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }
}
