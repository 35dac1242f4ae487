package dev.messenger.common.health;

import dev.messenger.common.Subjects;
import dev.messenger.common.infra.NatsEcho;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NATS answers when an echo comes back through the server ({@link NatsEcho}): the path the service's traffic
 * takes, both ways. A connection that says it is connected, yet returned no echo and received nothing at all
 * for {@code failuresForReconnect} probes in a row since it last (re)connected (a stopped, cut off or wedged
 * server, or a wedged client), is made to reconnect, to another server if it can: jnats' own keep-alive would
 * notice only after two unanswered pings two minutes apart. A server that is slow but still delivers is left
 * alone, and failures while reconnecting do not count.
 */
public final class NatsEchoProbe implements Probe, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NatsEchoProbe.class);

  private final NatsEcho echo;
  private final Duration timeout;
  private final int failuresForReconnect;
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ExecutorService reconnects = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "nats-forced-reconnect");
    thread.setDaemon(true);
    return thread;
  });
  private Silence silence; // guarded by this

  /** Failed echoes in a row on one connection, since it last (re)connected and last received anything. */
  private record Silence(long reconnects, long received, int failures) {}

  private NatsEchoProbe(NatsEcho echo, Duration timeout, int failuresForReconnect) {
    this.echo = echo;
    this.timeout = timeout;
    this.failuresForReconnect = failuresForReconnect;
  }

  /** An echo unanswered after two seconds fails; five failed in a row may make the connection reconnect. */
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
    Connection nats = echo.connection();
    if (failure == null || closed.get() || nats.getStatus() != Connection.Status.CONNECTED) {
      synchronized (this) {
        silence = null;
      }
      return;
    }
    long reconnectCount = nats.getStatistics().getReconnects();
    long received = nats.getStatistics().getInMsgs();
    boolean reconnect;
    synchronized (this) {
      // A reconnect, or anything received, starts the count again: only silence in a row counts.
      if (silence == null || silence.reconnects() != reconnectCount || silence.received() != received) {
        silence = new Silence(reconnectCount, received, 1);
      } else {
        silence = new Silence(reconnectCount, received, silence.failures() + 1);
      }
      reconnect = silence.failures() >= failuresForReconnect;
      if (reconnect) {
        silence = null;
      }
    }
    if (reconnect && reconnecting.compareAndSet(false, true)) {
      log.warn("NATS health probe: {} echoes in a row did not come back, and nothing else arrived, on a connection"
          + " that says it is connected (to {}): reconnecting", failuresForReconnect, nats.getConnectedUrl());
      reconnects.execute(this::forceReconnect);
    }
  }

  private void forceReconnect() {
    try {
      if (!closed.get()) {
        echo.connection().forceReconnect();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("NATS health probe: the forced reconnect failed: {}", e.toString());
    } finally {
      reconnecting.set(false);
    }
  }

  /** No forced reconnect from now on (the service is draining its connection); stops listening for echoes. */
  @Override
  public void close() {
    closed.set(true);
    reconnects.shutdownNow();
    echo.close();
  }
}
