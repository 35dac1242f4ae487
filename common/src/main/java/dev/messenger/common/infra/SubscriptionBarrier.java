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
 */
public final class SubscriptionBarrier {
  private final NatsEcho echo;
  private final Duration timeout;

  public SubscriptionBarrier(Connection nats, Subjects subjects, Duration timeout) {
    this.echo = NatsEcho.start(nats, subjects);
    this.timeout = timeout;
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
}
