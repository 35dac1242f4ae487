package dev.messenger.router;

import java.util.function.LongSupplier;

/**
 * Sends answered per second, over the last whole second: how fast the store behind the router drains what
 * was admitted. Thread-safe; cheap enough to call on every admission and answer.
 */
final class CompletionRate {
  private static final long WINDOW_NANOS = 1_000_000_000L;

  private final LongSupplier nanoClock;
  private long windowStart;
  private long inWindow;
  private long lastWindow;

  CompletionRate(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.windowStart = nanoClock.getAsLong();
  }

  synchronized void completed() {
    roll(nanoClock.getAsLong());
    inWindow++;
  }

  /** Answers in the last whole second (0 after a second without any). */
  synchronized long perSecond() {
    roll(nanoClock.getAsLong());
    return lastWindow;
  }

  private void roll(long now) {
    long elapsed = now - windowStart;
    if (elapsed < WINDOW_NANOS) {
      return;
    }
    lastWindow = elapsed < 2 * WINDOW_NANOS ? inWindow : 0;
    inWindow = 0;
    windowStart = now - elapsed % WINDOW_NANOS;
  }
}
