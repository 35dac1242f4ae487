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
 * every latency is seconds: the number of sends in progress is bounded by a limit that follows their latency
 * (Netflix concurrency-limits, gradient algorithm). A refused send gets RESOURCE_EXHAUSTED with a retry hint
 * spread over half a second to a second, so that refused senders do not all come back at once. Refusal
 * happens before sequencing, so nothing refused was accepted.
 */
final class Admission {
  static final Duration RETRY_AFTER_MIN = Duration.ofMillis(500);
  static final Duration RETRY_AFTER_MAX = Duration.ofSeconds(1);

  private final SimpleLimiter<Void> limiter;

  Admission(SimpleLimiter<Void> limiter) {
    this.limiter = limiter;
  }

  /** Sends admitted and not yet answered. */
  int admitted() {
    return limiter.getInflight();
  }

  /** How many sends may be in progress now. */
  int limit() {
    return limiter.getLimit();
  }

  /** Adapts between 64 and 8,192 sends in progress. */
  static Admission adaptive() {
    return new Admission(SimpleLimiter.newBuilder()
        .limit(Gradient2Limit.newBuilder().initialLimit(256).minLimit(64).maxConcurrency(8192).build())
        .build());
  }

  /** A permit, or empty when the router is at its limit. */
  Optional<Ticket> admit() {
    return limiter.acquire(null).map(Ticket::new);
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

    private Ticket(Limiter.Listener listener) {
      this.listener = listener;
    }

    /** Answered: a success feeds the latency the limit follows; a failure does not. */
    void done(boolean succeeded) {
      if (succeeded) {
        listener.onSuccess();
      } else {
        listener.onIgnore();
      }
    }
  }
}
