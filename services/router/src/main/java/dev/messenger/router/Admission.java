package dev.messenger.router;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.messenger.common.errors.ApiErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Refuses sends beyond what the router and the store behind it can take, instead of queueing them until
 * every latency is seconds. The number of sends in progress is bounded twice:
 * <ul>
 *   <li>by a limit that follows their latency (Netflix concurrency-limits, gradient algorithm);
 *   <li>by what the store answered in the last second times a queue-time budget (Little's law: sends in
 *       progress / sends answered per second = time each waits). Under lasting overload the gradient's
 *       long-term latency drifts up to the overloaded one and its limit grows with it: on a slow machine at
 *       400 msg/s sends admitted at their first try waited 8-15 s. Never below {@code floor}, so that an
 *       idle router takes a burst.
 * </ul>
 * A refused send gets RESOURCE_EXHAUSTED with a retry hint spread over half a second to a second, so that
 * refused senders do not all come back at once. Refusal happens before sequencing, so nothing refused was
 * accepted.
 */
final class Admission {
  static final Duration RETRY_AFTER_MIN = Duration.ofMillis(500);
  static final Duration RETRY_AFTER_MAX = Duration.ofSeconds(1);
  /** What a send admitted under overload may wait for the sends ahead of it. */
  static final Duration QUEUE_TIME_BUDGET = Duration.ofMillis(250);
  static final int FLOOR = 64;

  private final SimpleLimiter<Void> limiter;
  private final CompletionRate answered;
  private final Duration budget;
  private final int floor;

  Admission(SimpleLimiter<Void> limiter, CompletionRate answered, Duration budget, int floor) {
    this.limiter = limiter;
    this.answered = answered;
    this.budget = budget;
    this.floor = floor;
  }


  /** Sends admitted and not yet answered. */
  int admitted() {
    return limiter.getInflight();
  }

  /** How many sends may be in progress now: the lower of the two bounds. */
  int limit() {
    return (int) Math.min(limiter.getLimit(), queueTimeLimit());
  }

  /** Adapts between 64 and 8,192 sends in progress, and at most 250 ms of answers. */
  static Admission adaptive() {
    return new Admission(SimpleLimiter.newBuilder()
        .limit(Gradient2Limit.newBuilder().initialLimit(256).minLimit(64).maxConcurrency(8192).build())
        .build(), new CompletionRate(System::nanoTime), QUEUE_TIME_BUDGET, FLOOR);
  }

  /** A permit, or empty when the router is at its limit. */
  Optional<Ticket> admit() {
    if (limiter.getInflight() >= queueTimeLimit()) {
      return Optional.empty();
    }
    return limiter.acquire(null).map(listener -> new Ticket(listener, answered));
  }

  private long queueTimeLimit() {
    return Math.max(floor, answered.perSecond() * budget.toMillis() / 1000);
  }

  static StatusRuntimeException overloaded() {
    long spread = RETRY_AFTER_MAX.toMillis() - RETRY_AFTER_MIN.toMillis();
    Duration retryAfter = RETRY_AFTER_MIN.plusMillis(ThreadLocalRandom.current().nextLong(spread + 1));
    return ApiErrors.withRetryAfter(Status.Code.RESOURCE_EXHAUSTED, "OVERLOADED",
        "the router is at capacity; resend with the same client_message_id after the retry delay", retryAfter);
  }

  /** One admitted send; {@link #done} once it is answered. */
  static final class Ticket {
    private final Limiter.Listener listener;
    private final CompletionRate answered;

    private Ticket(Limiter.Listener listener, CompletionRate answered) {
      this.listener = listener;
      this.answered = answered;
    }

    /** Answered: a success feeds the latency the limit follows and the rate; a failure does not. */
    void done(boolean succeeded) {
      if (succeeded) {
        answered.completed();
        listener.onSuccess();
      } else {
        listener.onIgnore();
      }
    }
  }
}
