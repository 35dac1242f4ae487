package dev.messenger.common.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.common.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Statistics;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the probe makes a connection reconnect: only after echoes lost in a row on a connection that says it is
 * connected and receives nothing else either. A connection whose server is slow but delivers, or that is
 * reconnecting by itself, is left alone. The connection is a stand-in whose echoes never come back.
 */
@Timeout(30)
class NatsEchoProbeTest {
  private final AtomicReference<Connection.Status> status = new AtomicReference<>(Connection.Status.CONNECTED);
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicInteger forced = new AtomicInteger();
  private final Connection silent = silentConnection();

  @Test
  void should_leave_a_connection_that_still_receives_or_is_reconnecting_by_itself_alone() throws Exception {
    NatsEchoProbe probe = NatsEchoProbe.start(silent, new Subjects("probetest"), Duration.ofMillis(20), 3);

    for (int i = 0; i < 6; i++) {
      received.incrementAndGet(); // slow, but other messages arrive
      failedPing(probe);
    }
    status.set(Connection.Status.RECONNECTING);
    for (int i = 0; i < 6; i++) {
      failedPing(probe);
    }
    status.set(Connection.Status.CONNECTED);
    reconnects.incrementAndGet();
    failedPing(probe);
    failedPing(probe);

    assertThat(forced.get()).as("two failures since it reconnected, none while it was away").isZero();
    received.incrementAndGet();
    failedPing(probe);
    failedPing(probe);
    assertThat(forced.get()).as("something arrived: the count starts again").isZero();
    failedPing(probe);
    await().atMost(Duration.ofSeconds(5)).until(() -> forced.get() == 1);
    probe.close();
  }

  @Test
  void should_not_reconnect_once_closed() throws Exception {
    NatsEchoProbe probe = NatsEchoProbe.start(silent, new Subjects("probetest"), Duration.ofMillis(20), 2);
    probe.close();
    failedPing(probe);
    failedPing(probe);
    failedPing(probe);
    assertThat(forced.get()).isZero();
  }

  private static void failedPing(NatsEchoProbe probe) throws InterruptedException {
    try {
      probe.ping().toCompletableFuture().get(5, TimeUnit.SECONDS);
      throw new AssertionError("an echo came back from a connection that sends none");
    } catch (ExecutionException | java.util.concurrent.TimeoutException expected) {
      // the echo was lost
    }
  }

  private Connection silentConnection() {
    Statistics statistics = (Statistics) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Statistics.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getReconnects" -> reconnects.get();
          case "getInMsgs" -> received.get();
          default -> throw new UnsupportedOperationException(method.getName());
        });
    Dispatcher dispatcher = (Dispatcher) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Dispatcher.class}, (proxy, method, args) -> method.getName().equals("subscribe") ? proxy : null);
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "createDispatcher" -> dispatcher;
          case "publish", "closeDispatcher" -> null;
          case "getStatus" -> status.get();
          case "getStatistics" -> statistics;
          case "getConnectedUrl" -> "nats://127.0.0.1:4222";
          case "forceReconnect" -> {
            forced.incrementAndGet();
            yield null;
          }
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
