package dev.messenger.push.queue;

import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls from a durable pull consumer as long as fewer than {@code maxInFlight} messages are being handled,
 * and hands each message to {@code handler} on {@code workers} as soon as it arrives. The handler acknowledges (or naks) the
 * message itself; a message it drops unacknowledged comes back after the consumer's ack wait.
 */
final class PullLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PullLoop.class);
  private static final Duration FETCH_WAIT = Duration.ofMillis(500);
  private static final Duration PAUSE_AFTER_ERROR = Duration.ofMillis(500);

  private final String name;
  private final JetStreamSubscription subscription;
  private final int maxInFlight;
  private final Semaphore free;
  private final ExecutorService workers;
  private final Consumer<Message> handler;
  private final Thread thread;
  private volatile boolean running = true;

  PullLoop(String name, JetStreamSubscription subscription, int maxInFlight, ExecutorService workers,
      Consumer<Message> handler) {
    this.name = name;
    this.subscription = subscription;
    this.maxInFlight = maxInFlight;
    this.free = new Semaphore(maxInFlight);
    this.workers = workers;
    this.handler = handler;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    while (running) {
      try {
        free.acquire();
        int wanted = 1 + free.drainPermits();
        int dispatched = 0;
        try {
          // Each message is handed on as it arrives: fetch() would hold the first ones until the batch is
          // full or the wait is over, which at low rates adds up to FETCH_WAIT per queue.
          Iterator<Message> messages = subscription.iterate(wanted, FETCH_WAIT);
          while (messages.hasNext()) {
            Message message = messages.next();
            dispatched++;
            dispatch(message);
          }
        } finally {
          free.release(wanted - dispatched);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (running) {
          log.warn("{}: fetch failed: {}", name, e.toString());
          pause();
        }
      }
    }
  }

  private void dispatch(Message message) {
    try {
      workers.execute(() -> {
        try {
          handler.accept(message);
        } catch (RuntimeException e) {
          log.error("{}: handler failed", name, e);
        } finally {
          free.release();
        }
      });
    } catch (RejectedExecutionException stopping) {
      free.release();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(PAUSE_AFTER_ERROR.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops fetching and waits up to {@code grace} for the messages being handled. */
  void stop(Duration grace) {
    running = false;
    try {
      thread.join(grace.toMillis());
      if (!free.tryAcquire(maxInFlight, grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{}: messages still in hand after {}; they come back after the ack wait", name, grace);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }
}
