package dev.messenger.session;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Closes the streams of a stopping session server a few at a time: each closed device reconnects (through
 * Discovery, to the servers left) and catches up, so closing 50,000 at once would land 50,000 reconnects and
 * catch-ups on the others in the same second. Closes {@code perSecond} a second in ticks of 100 ms; what is
 * still open at the deadline is closed at once.
 */
final class StreamDrain {
  static final Duration TICK = Duration.ofMillis(100);

  /** Waits between ticks (a real sleep in production, a clock step in tests). */
  interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  /** How a drain went: closed at the paced rate, and closed at once when the deadline came. */
  record Outcome(int paced, int atDeadline) {}

  private final int perTick;
  private final Duration deadline;
  private final LongSupplier nanoTime;
  private final Pause pause;

  StreamDrain(int perSecond, Duration deadline, LongSupplier nanoTime, Pause pause) {
    this.perTick = Math.max(1, perSecond / (int) (Duration.ofSeconds(1).toMillis() / TICK.toMillis()));
    this.deadline = deadline;
    this.nanoTime = nanoTime;
    this.pause = pause;
  }

  static StreamDrain realTime(int perSecond, Duration deadline) {
    return new StreamDrain(perSecond, deadline, System::nanoTime, duration -> Thread.sleep(duration.toMillis()));
  }

  <T> Outcome drain(List<T> streams, Consumer<T> close) {
    long end = nanoTime.getAsLong() + deadline.toNanos();
    int next = 0;
    try {
      while (next < streams.size() && nanoTime.getAsLong() < end) {
        int stop = Math.min(streams.size(), next + perTick);
        for (; next < stop; next++) {
          close.accept(streams.get(next));
        }
        if (next < streams.size()) {
          pause.pause(TICK);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int paced = next;
    for (; next < streams.size(); next++) {
      close.accept(streams.get(next));
    }
    return new Outcome(paced, streams.size() - paced);
  }
}
