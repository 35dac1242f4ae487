package dev.messenger.session;

import dev.messenger.common.auth.Principal;
import dev.messenger.common.limits.KeyedRateLimiter;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * This server's per-user limits on what costs it most besides sends (see {@link UserRates}): each check takes
 * a token of the caller's user or throws RESOURCE_EXHAUSTED with the limit's reason and a retry delay.
 */
final class SessionLimits {
  private final KeyedRateLimiter connects;
  private final KeyedRateLimiter receipts;
  private final KeyedRateLimiter watches;

  SessionLimits(UserRates rates, LongSupplier nanoClock) {
    connects = KeyedRateLimiter.withDoubleBurst("CONNECT_RATE_LIMITED", "streams opened", rates.connectRate(),
        nanoClock);
    receipts = KeyedRateLimiter.withDoubleBurst("RECEIPT_RATE_LIMITED", "delivery acks and read markers",
        rates.receiptRate(), nanoClock);
    watches = KeyedRateLimiter.withDoubleBurst("WATCH_RATE_LIMITED", "presence watch changes", rates.watchRate(),
        nanoClock);
  }

  /** A new Connect or Subscribe stream of the caller. */
  void connect(Principal caller) {
    connects.check(caller.userId());
  }

  /** A delivery ack or read marker of the caller that would reach the store. */
  void receipt(Principal caller) {
    receipts.check(caller.userId());
  }

  /** A merged delivery ack of the caller's stream, written whatever the rate: charged, never refused. */
  void chargeReceipt(Principal caller) {
    receipts.charge(caller.userId());
  }

  /** A change of the caller's presence watches. */
  void watch(Principal caller) {
    watches.check(caller.userId());
  }

  /** Every limiter, for metrics. */
  List<KeyedRateLimiter> limiters() {
    return List.of(connects, receipts, watches);
  }

  /** Drops the buckets that are full again (checks also do it, at most every 10 s). */
  void sweep() {
    connects.sweep();
    receipts.sweep();
    watches.sweep();
  }
}
