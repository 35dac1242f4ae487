package dev.messenger.client;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Timers whose tasks run on the client's event loop. A shut-down scheduler yields no timer (null). */
final class LoopTimers {
  private final ScheduledExecutorService scheduler;
  private final Executor loop;

  LoopTimers(ScheduledExecutorService scheduler, Executor loop) {
    this.scheduler = scheduler;
    this.loop = loop;
  }

  ScheduledFuture<?> after(Duration delay, Runnable task) {
    try {
      return scheduler.schedule(() -> loop.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  ScheduledFuture<?> every(Duration period, Runnable task) {
    try {
      long nanos = period.toNanos();
      return scheduler.scheduleAtFixedRate(() -> loop.execute(task), nanos, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
