package dev.messenger.client;

import java.time.Duration;

/** The current {@link ConnectionState}, readable and awaitable from any thread. */
final class StateCell {
  private ConnectionState state = ConnectionState.DISCONNECTED;

  synchronized ConnectionState get() {
    return state;
  }

  /** Sets the state; false when it already had that value or is CLOSED (which is final). */
  synchronized boolean set(ConnectionState next) {
    if (state == next || state == ConnectionState.CLOSED) {
      return false;
    }
    state = next;
    notifyAll();
    return true;
  }

  /** Waits until the state is {@code wanted}; false on timeout or when the state became CLOSED. */
  synchronized boolean await(ConnectionState wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (state != wanted) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || state == ConnectionState.CLOSED) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
