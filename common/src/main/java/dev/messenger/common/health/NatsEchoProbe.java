package dev.messenger.common.health;

import dev.messenger.common.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.NUID;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message the service sends to a subject of its own and must receive back through the NATS server: the
 * path its real traffic takes, both ways. jnats' flush was the probe before: after a restart of the whole NATS
 * cluster one session server's flushes kept timing out for minutes while its messages flowed (a PING lost in
 * the client's reconnect hand-over leaves every later PONG answering the PING before). An echo depends on no
 * such bookkeeping.
 *
 * <p>A connection that says it is connected yet returns no echo for {@code failuresForReconnect} probes in a
 * row (a stopped or wedged server, or a wedged client) is made to reconnect, to another server if it can.
 */
public final class NatsEchoProbe implements Probe {
  private static final Logger log = LoggerFactory.getLogger(NatsEchoProbe.class);

  private final Connection nats;
  private final String subject;
  private final Duration timeout;
  private final int failuresForReconnect;
  private final Map<Long, CompletableFuture<Void>> awaited = new ConcurrentHashMap<>();
  private final AtomicLong nextEcho = new AtomicLong();
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  private final ExecutorService reconnects = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "nats-forced-reconnect");
    thread.setDaemon(true);
    return thread;
  });

  private NatsEchoProbe(Connection nats, String subject, Duration timeout, int failuresForReconnect) {
    this.nats = nats;
    this.subject = subject;
    this.timeout = timeout;
    this.failuresForReconnect = failuresForReconnect;
  }

  /** An echo unanswered after two seconds fails; five failed in a row make the connection reconnect. */
  public static NatsEchoProbe start(Connection nats, Subjects subjects) {
    return start(nats, subjects, Duration.ofSeconds(2), 5);
  }

  /** Subscribes to the connection's own health subject; echoes unanswered after {@code timeout} fail. */
  public static NatsEchoProbe start(Connection nats, Subjects subjects, Duration timeout, int failuresForReconnect) {
    NatsEchoProbe probe = new NatsEchoProbe(nats, subjects.health(NUID.nextGlobal()), timeout, failuresForReconnect);
    Dispatcher dispatcher = nats.createDispatcher(probe::onEcho);
    dispatcher.subscribe(probe.subject);
    return probe;
  }

  /** The subject this probe's echoes travel on. */
  String subject() {
    return subject;
  }

  @Override
  public CompletionStage<?> ping() {
    long echo = nextEcho.incrementAndGet();
    CompletableFuture<Void> answer = new CompletableFuture<>();
    awaited.put(echo, answer);
    answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ignored, failure) -> {
      awaited.remove(echo);
      count(failure);
    });
    try {
      nats.publish(subject, Long.toString(echo).getBytes(StandardCharsets.US_ASCII));
    } catch (RuntimeException e) { // closed, or its reconnect buffer is full
      answer.completeExceptionally(e);
    }
    return answer;
  }

  private void onEcho(Message message) {
    try {
      CompletableFuture<Void> answer = awaited.get(Long.parseLong(new String(message.getData(),
          StandardCharsets.US_ASCII)));
      if (answer != null) {
        answer.complete(null);
      }
    } catch (NumberFormatException e) {
      log.warn("NATS health probe: an echo it did not send on {}", subject);
    }
  }

  private void count(Throwable failure) {
    if (failure == null) {
      failuresInARow.set(0);
      return;
    }
    int failures = failuresInARow.incrementAndGet();
    if (failures % failuresForReconnect == 0 && nats.getStatus() == Connection.Status.CONNECTED
        && reconnecting.compareAndSet(false, true)) {
      log.warn("NATS health probe: {} echoes in a row did not come back on a connection that says it is connected"
          + " (to {}): reconnecting", failures, nats.getConnectedUrl());
      reconnects.execute(this::forceReconnect);
    }
  }

  private void forceReconnect() {
    try {
      nats.forceReconnect();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("NATS health probe: the forced reconnect failed: {}", e.toString());
    } finally {
      reconnecting.set(false);
    }
  }
}
