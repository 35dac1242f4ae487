package dev.messenger.router;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.messenger.common.errors.ApiErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Refuses sends beyond what the router and the store behind it can take, instead of queueing them until
 * every latency is seconds. The number of sends in progress is bounded by a limit that shrinks whenever an
 * admitted send takes longer than {@link #SLOW_SEND} and grows back while sends are quick (Netflix
 * concurrency-limits, AIMD): by Little's law that keeps an admitted send's wait near that bound whatever the
 * store's throughput. A latency-gradient limit, used before, let its idea of a normal latency drift up with
 * the queue, and admitted sends waited 0.6 s at 1.3 times the machine's capacity.
 *
 * <p>A refused send gets RESOURCE_EXHAUSTED with a retry hint. The hint grows with how many senders were
 * refused for each one admitted in the last second, so that refused sends come back about when there is room
 * for them rather than all being refused again, and it is spread over senders so that they do not come back
 * at once. Refusal happens before sequencing, so nothing refused was accepted.
 */
final class Admission {
  /**
   * 30 ms and at least 8 in progress, not 60 ms and 24 (until session 24): at its floor the limit is what an
   * overloaded router admits, and 24 sends in progress against a store answering 600 a second kept each for
   * 40-70 ms before any delivery started (accepted p99 131 ms at 1.5x the held rate, 50.6 ms with these).
   */
  static final Duration SLOW_SEND = Duration.ofMillis(30);
  static final int MIN_LIMIT = 8;
  static final Duration RETRY_AFTER_MIN = Duration.ofMillis(500);
  static final Duration RETRY_AFTER_MAX = Duration.ofSeconds(5);

  private final SimpleLimiter<Void> limiter;
  private final LongSupplier nanoClock;
  private final Object paceLock = new Object();
  private long paceSecond = Long.MIN_VALUE;
  private long admittedThisSecond;
  private long refusedThisSecond;
  private long admittedLastSecond;
  private long refusedLastSecond;

  Admission(SimpleLimiter<Void> limiter) {
    this(limiter, System::nanoTime);
  }

  Admission(SimpleLimiter<Void> limiter, LongSupplier nanoClock) {
    this.limiter = limiter;
    this.nanoClock = nanoClock;
  }

  /** Sends admitted and not yet answered. */
  int admitted() {
    return limiter.getInflight();
  }

  /** How many sends may be in progress now. */
  int limit() {
    return limiter.getLimit();
  }

  /** Adapts between {@link #MIN_LIMIT} and 1,024 sends in progress. */
  static Admission adaptive() {
    return adaptive(System::nanoTime);
  }

  static Admission adaptive(LongSupplier nanoClock) {
    return new Admission(SimpleLimiter.newBuilder().nanoClock(nanoClock)
        .limit(AIMDLimit.newBuilder().initialLimit(64).minLimit(MIN_LIMIT).maxLimit(1024).backoffRatio(0.9)
            .timeout(SLOW_SEND.toNanos(), TimeUnit.NANOSECONDS).build())
        .build(), nanoClock);
  }

  /** A permit, or empty when the router is at its limit. */
  Optional<Ticket> admit() {
    Optional<Ticket> ticket = limiter.acquire(null).map(Ticket::new);
    count(ticket.isPresent());
    return ticket;
  }

  /** The refusal of a send that {@link #admit} turned away, with its retry hint. */
  StatusRuntimeException overloaded() {
    long base = RETRY_AFTER_MIN.toMillis() * Math.max(1, refusedPerAdmitted());
    long from = Math.min(base, RETRY_AFTER_MAX.toMillis() / 2);
    Duration retryAfter = Duration.ofMillis(from + ThreadLocalRandom.current().nextLong(from + 1));
    return ApiErrors.withRetryAfter(Status.Code.RESOURCE_EXHAUSTED, "OVERLOADED",
        "the router is at capacity; resend with the same client_message_id after the retry delay", retryAfter);
  }

  /** Refused sends per admitted one over the last whole second (rounded up), 0 when none were refused. */
  private long refusedPerAdmitted() {
    synchronized (paceLock) {
      roll();
      return refusedLastSecond == 0 ? 0 : (refusedLastSecond + admittedLastSecond) / Math.max(1, admittedLastSecond);
    }
  }

  private void count(boolean admitted) {
    synchronized (paceLock) {
      roll();
      if (admitted) {
        admittedThisSecond++;
      } else {
        refusedThisSecond++;
      }
    }
  }

  private void roll() {
    long second = TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong());
    if (second == paceSecond) {
      return;
    }
    boolean consecutive = second == paceSecond + 1;
    admittedLastSecond = consecutive ? admittedThisSecond : 0;
    refusedLastSecond = consecutive ? refusedThisSecond : 0;
    admittedThisSecond = 0;
    refusedThisSecond = 0;
    paceSecond = second;
  }

  /** One admitted send; {@link #done} once it is answered. */
  static final class Ticket {
    /** Null for a send admitted alongside a batch in progress, outside the limit. */
    private final Limiter.Listener listener;

    private Ticket(Limiter.Listener listener) {
      this.listener = listener;
    }

    /** A send that joins a batch already in progress: it takes no place under the limit. */
    static Ticket alongside() {
      return new Ticket(null);
    }

    /** Answered: a success feeds the latency the limit follows; a failure does not. */
    void done(boolean succeeded) {
      if (listener == null) {
        return;
      }
      if (succeeded) {
        listener.onSuccess();
      } else {
        listener.onIgnore();
      }
    }
  }
}
