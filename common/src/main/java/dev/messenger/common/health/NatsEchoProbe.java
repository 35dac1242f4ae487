package dev.messenger.common.health;

import dev.messenger.common.Subjects;
import dev.messenger.common.infra.NatsEcho;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NATS answers when an echo comes back through the server ({@link NatsEcho}): the path the service's traffic
 * takes, both ways. A connection that says it is connected yet returns no echo for {@code failuresForReconnect}
 * probes in a row (a stopped or wedged server, or a wedged client) is made to reconnect, to another server if
 * it can: jnats' own keep-alive would notice only after two unanswered pings two minutes apart.
 */
public final class NatsEchoProbe implements Probe {
  private static final Logger log = LoggerFactory.getLogger(NatsEchoProbe.class);

  private final NatsEcho echo;
  private final Duration timeout;
  private final int failuresForReconnect;
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  private final ExecutorService reconnects = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "nats-forced-reconnect");
    thread.setDaemon(true);
    return thread;
  });

  private NatsEchoProbe(NatsEcho echo, Duration timeout, int failuresForReconnect) {
    this.echo = echo;
    this.timeout = timeout;
    this.failuresForReconnect = failuresForReconnect;
  }

  /** An echo unanswered after two seconds fails; five failed in a row make the connection reconnect. */
  public static NatsEchoProbe start(Connection nats, Subjects subjects) {
    return start(nats, subjects, Duration.ofSeconds(2), 5);
  }

  public static NatsEchoProbe start(Connection nats, Subjects subjects, Duration timeout, int failuresForReconnect) {
    return new NatsEchoProbe(NatsEcho.start(nats, subjects), timeout, failuresForReconnect);
  }

  @Override
  public CompletionStage<?> ping() {
    return echo.roundTrip(timeout).whenComplete((ignored, failure) -> count(failure));
  }

  private void count(Throwable failure) {
    if (failure == null) {
      failuresInARow.set(0);
      return;
    }
    int failures = failuresInARow.incrementAndGet();
    Connection nats = echo.connection();
    if (failures % failuresForReconnect == 0 && nats.getStatus() == Connection.Status.CONNECTED
        && reconnecting.compareAndSet(false, true)) {
      log.warn("NATS health probe: {} echoes in a row did not come back on a connection that says it is connected"
          + " (to {}): reconnecting", failures, nats.getConnectedUrl());
      reconnects.execute(this::forceReconnect);
    }
  }

  private void forceReconnect() {
    try {
      echo.connection().forceReconnect();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("NATS health probe: the forced reconnect failed: {}", e.toString());
    } finally {
      reconnecting.set(false);
    }
  }
}
