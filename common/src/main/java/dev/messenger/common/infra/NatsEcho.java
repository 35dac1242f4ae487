package dev.messenger.common.infra;

import dev.messenger.common.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.NUID;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Round trips through the NATS server: a number published to a subject only this connection subscribes to,
 * and received back. The server handles a connection's messages in order, so an echo that came back proves
 * that everything the connection sent before it (its subscriptions included) was handled, and that the
 * server delivers to it.
 *
 * <p>It replaces jnats' {@code flush} (a PING and its PONG) wherever an answer is awaited. jnats pairs each PONG
 * with the oldest PING it waits for, and a PING lost in its reconnect hand-over (2.26.2) leaves every later
 * PONG answering the PING before: every flush then times out, for as long as the connection lives. Echoes
 * are matched by their number, and any number of them may be in flight (jnats reconnects at a third PING
 * outstanding).
 */
public final class NatsEcho implements AutoCloseable {
  private final Connection nats;
  private final String subject;
  private Dispatcher dispatcher;
  private final Map<Long, CompletableFuture<Void>> awaited = new ConcurrentHashMap<>();
  private final AtomicLong nextEcho = new AtomicLong();

  private NatsEcho(Connection nats, String subject) {
    this.nats = nats;
    this.subject = subject;
  }

  /** Subscribes, on a dispatcher of its own, to {@code <ns>.health.<a new NUID>}. */
  public static NatsEcho start(Connection nats, Subjects subjects) {
    NatsEcho echo = new NatsEcho(nats, subjects.health(NUID.nextGlobal()));
    echo.dispatcher = nats.createDispatcher(echo::onEcho);
    echo.dispatcher.subscribe(echo.subject);
    return echo;
  }

  /** The connection the echoes travel on. */
  public Connection connection() {
    return nats;
  }

  /**
   * Completes once an echo published now has come back; fails with a {@link java.util.concurrent.TimeoutException}
   * after {@code timeout}, or at once when the connection cannot publish (closed, or its reconnect buffer full).
   */
  public CompletableFuture<Void> roundTrip(Duration timeout) {
    long echo = nextEcho.incrementAndGet();
    CompletableFuture<Void> answer = new CompletableFuture<>();
    awaited.put(echo, answer);
    answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ignored, failure) -> awaited.remove(echo));
    try {
      nats.publish(subject, Long.toString(echo).getBytes(StandardCharsets.US_ASCII));
    } catch (RuntimeException e) {
      answer.completeExceptionally(e);
    }
    return answer;
  }

  /** Stops listening for echoes; what still waits fails. */
  @Override
  public void close() {
    try {
      if (nats.getStatus() != Connection.Status.CLOSED) {
        nats.closeDispatcher(dispatcher);
      }
    } catch (IllegalStateException e) {
      // closed or draining meanwhile: the dispatcher goes with the connection
    }
    awaited.values().forEach(answer -> answer.completeExceptionally(new IllegalStateException("closed")));
  }

  private void onEcho(Message message) {
    try {
      CompletableFuture<Void> answer =
          awaited.get(Long.parseLong(new String(message.getData(), StandardCharsets.US_ASCII)));
      if (answer != null) {
        answer.complete(null);
      }
    } catch (NumberFormatException ignored) {
      // not one of ours: nothing waits for it
    }
  }
}
