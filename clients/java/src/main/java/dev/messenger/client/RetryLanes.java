package dev.messenger.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * When each conversation's latest scheduled resend of a refused send fires: a later send of the conversation,
 * refused because that one must be stored first, is resent just after it. Event-loop only.
 */
final class RetryLanes {
  private static final int PRUNE_ABOVE = 1024;
  private final LongSupplier nanoClock;
  private final Map<String, Long> lastRetryAt = new HashMap<>();

  RetryLanes(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** A send of {@code lane} is resent after {@code delay}. */
  void retryingIn(String lane, Duration delay) {
    long now = nanoClock.getAsLong();
    if (lastRetryAt.size() > PRUNE_ABOVE) {
      lastRetryAt.values().removeIf(at -> at - now < 0);
    }
    lastRetryAt.merge(lane, now + delay.toNanos(), Math::max);
  }

  /** How long until the lane's latest scheduled resend; zero when none is pending. */
  Duration untilLastRetry(String lane) {
    Long at = lastRetryAt.get(lane);
    long left = at == null ? 0 : at - nanoClock.getAsLong();
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }
}
