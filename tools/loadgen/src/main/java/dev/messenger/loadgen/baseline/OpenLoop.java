package dev.messenger.loadgen.baseline;

import dev.messenger.loadgen.report.Histograms;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Fires asynchronous requests at a fixed rate, on the clock, and records each one's latency from its
 * scheduled time (so a stall delays and counts every request behind it: no coordinated omission).
 */
final class OpenLoop {
  private OpenLoop() {}

  /** What one open-loop phase measured. */
  record Result(Histogram micros, long fired, long failed, double seconds) {}

  /** {@code request} gets the scheduled time (System.nanoTime) and returns when its answer arrives. */
  static Result run(double rate, Duration duration, LongFunction<CompletionStage<?>> request)
      throws InterruptedException {
    Recorder recorder = new Recorder(Histograms.DIGITS);
    AtomicLong failed = new AtomicLong();
    AtomicLong done = new AtomicLong();
    long gap = (long) (1e9 / rate);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long fired = 0;
    for (long at = start; at < end; at += gap) {
      long now;
      while ((now = System.nanoTime()) < at) {
        LockSupport.parkNanos(Math.min(at - now, 1_000_000));
      }
      long scheduled = at;
      fired++;
      CompletionStage<?> answer;
      try {
        answer = request.apply(scheduled);
      } catch (RuntimeException e) {
        failed.incrementAndGet();
        done.incrementAndGet();
        continue;
      }
      answer.whenComplete((ignored, error) -> {
        if (error == null) {
          recorder.recordValue(Math.max(1, (System.nanoTime() - scheduled) / 1000));
        } else {
          failed.incrementAndGet();
        }
        done.incrementAndGet();
      });
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (done.get() < fired && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    return new Result(recorder.getIntervalHistogram(), fired, failed.get() + (fired - done.get()),
        duration.toNanos() / 1e9);
  }
}
