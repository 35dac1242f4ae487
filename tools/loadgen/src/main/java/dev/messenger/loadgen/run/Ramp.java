package dev.messenger.loadgen.run;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Connects the devices at a steady rate (every device discovers a server and opens its stream, as an
 * app does), with at most {@code maxPending} devices connecting at once so that a slow server is not
 * buried under retries, then waits until each has caught up or the timeout has passed.
 */
final class Ramp {
  private static final long SECOND = 1_000_000_000L;

  private final Ticker ticker;
  private final Consumer<String> progress;

  Ramp(Ticker ticker, Consumer<String> progress) {
    this.ticker = ticker;
    this.progress = progress;
  }

  /** Returns how long the ramp took, in nanoseconds. */
  long connect(List<SimDevice> devices, int perSecond, int maxPending, Duration timeout, RunCounters counters) {
    long start = ticker.nanoTime();
    long deadline = start + timeout.toNanos();
    long gap = SECOND / perSecond;
    long nextReport = start + SECOND;
    long due = start;
    for (int i = 0; i < devices.size(); i++) {
      long now;
      while ((now = ticker.nanoTime()) < due
          || (i - counters.caughtUp.get() >= maxPending && now < deadline)) {
        if (now >= nextReport) {
          report(start, now, i, devices, counters);
          nextReport += SECOND;
        }
        LockSupport.parkNanos(Math.max(1_000_000, Math.min(due - now, 10_000_000)));
      }
      due = Math.max(due, now - SECOND) + gap;
      if (now >= nextReport) {
        report(start, now, i, devices, counters);
        nextReport += SECOND;
      }
      devices.get(i).client().start();
    }
    while (true) {
      long now = ticker.nanoTime();
      long caughtUp = counters.caughtUp.get();
      if (caughtUp == devices.size() || now >= deadline) {
        report(start, now, devices.size(), devices, counters);
        return now - start;
      }
      if (now >= nextReport) {
        report(start, now, devices.size(), devices, counters);
        nextReport += SECOND;
      }
      LockSupport.parkNanos(20_000_000);
    }
  }

  private void report(long start, long now, int started, List<SimDevice> devices, RunCounters counters) {
    long caughtUp = counters.caughtUp.get();
    progress.accept(String.format(java.util.Locale.ROOT, "ramp %5.1fs  started %,d/%,d  caught up %,d  live %,d",
        (now - start) / 1e9, started, devices.size(), caughtUp, counters.live()));
  }
}
