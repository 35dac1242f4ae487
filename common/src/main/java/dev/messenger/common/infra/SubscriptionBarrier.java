package dev.messenger.common.infra;

import io.nats.client.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/**
 * Confirms that the subscriptions a caller made on a NATS connection have reached the server (a PING
 * answered by its PONG), sharing one PING among everyone who asks meanwhile. jnats treats more unanswered
 * PINGs than {@code maxPingsOut} (2) as a dead connection and reconnects, so concurrent {@code flush} calls
 * during a burst of new streams broke the connection they were waiting on.
 */
public final class SubscriptionBarrier implements AutoCloseable {
  private final Connection nats;
  private final Duration timeout;
  private final ExecutorService flusher;
  private CompletableFuture<Void> running;
  private CompletableFuture<Void> next;

  public SubscriptionBarrier(Connection nats, Duration timeout) {
    this.nats = nats;
    this.timeout = timeout;
    this.flusher = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "nats-barrier");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Completes once a PING sent after this call has been answered: everything this connection sent before
   * the call (subscriptions included) has then been processed by the server. Fails with a
   * {@link TimeoutException} when the server did not answer in time.
   */
  public synchronized CompletableFuture<Void> request() {
    if (running == null) {
      running = new CompletableFuture<>();
      start(running);
      return running;
    }
    // The PING in flight may have been written before this caller's subscription: wait for the next one.
    if (next == null) {
      next = new CompletableFuture<>();
    }
    return next;
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

  private void start(CompletableFuture<Void> round) {
    flusher.execute(() -> {
      try {
        nats.flush(timeout);
        round.complete(null);
      } catch (TimeoutException e) {
        round.completeExceptionally(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        round.completeExceptionally(new TimeoutException("interrupted"));
      } catch (RuntimeException e) {
        round.completeExceptionally(e);
      } finally {
        finished();
      }
    });
  }

  private synchronized void finished() {
    running = next;
    next = null;
    if (running != null) {
      start(running);
    }
  }

  @Override
  public void close() {
    flusher.shutdownNow();
  }
}
