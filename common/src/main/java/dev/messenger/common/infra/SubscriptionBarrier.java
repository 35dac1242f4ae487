package dev.messenger.common.infra;

import dev.messenger.common.Subjects;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Confirms that the subscriptions a caller made on a NATS connection have reached the server: an echo sent
 * after them came back ({@link NatsEcho}). Each caller gets a round trip of its own; a burst of new streams
 * sends a burst of small echoes, never a pile of PINGs (jnats reconnects at a third one outstanding).
 *
 * <p>One case the echo cannot confirm: jnats sends no SUB while it is reconnecting, and a dispatcher's
 * subscription made just as the connection comes back may miss the re-sending of subscriptions too. A caller
 * takes a {@link #mark} before subscribing and asks {@link #reconnectedSince} after the echo: if so, it
 * subscribes again.
 */
public final class SubscriptionBarrier implements AutoCloseable {
  private final NatsEcho echo;
  private final Duration timeout;

  /** The connection's state before a subscription: its reconnect count, and whether it was connected. */
  public record Mark(long reconnects, boolean connected) {}

  public SubscriptionBarrier(Connection nats, Subjects subjects, Duration timeout) {
    this.echo = NatsEcho.start(nats, subjects);
    this.timeout = timeout;
  }

  /** Taken before subscribing. */
  public Mark mark() {
    Connection nats = echo.connection();
    return new Mark(nats.getStatistics().getReconnects(), nats.getStatus() == Connection.Status.CONNECTED);
  }

  /** Whether the connection was away, or reconnected, at some point since {@code mark}. */
  public boolean reconnectedSince(Mark mark) {
    return !mark.connected() || echo.connection().getStatistics().getReconnects() != mark.reconnects();
  }

  /**
   * Completes once an echo sent after this call came back: everything this connection sent before the call
   * (subscriptions included) has then been processed by the server. Fails with a {@link TimeoutException}
   * when it did not come back in time.
   */
  public CompletableFuture<Void> request() {
    return echo.roundTrip(timeout);
  }

  /** {@link #request()}, blocking. */
  public void await() throws TimeoutException, InterruptedException {
    try {
      request().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TimeoutException timeoutException) {
        throw timeoutException;
      }
      throw new TimeoutException("the bus did not confirm the subscription: " + e.getCause());
    }
  }

  @Override
  public void close() {
    echo.close();
  }
}
