package dev.messenger.loadgen.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Takes one {@link SecondSample} per second of the send phase (called by a timer) and hands it to the
 * progress display. Only the timer thread calls {@link #sample}.
 */
final class Sampler {
  private final RunBooks books;
  private final long warmupNanos;
  private final long sendEndNanos;
  private final Consumer<SecondSample> progress;
  private final List<SecondSample> samples = new ArrayList<>();
  private RunCounters.Totals previous = new RunCounters.Totals(0, 0, 0, 0, 0, 0, 0, 0);
  private long previousErrors;
  private int second;

  Sampler(RunBooks books, long warmupNanos, long sendEndNanos, Consumer<SecondSample> progress) {
    this.books = books;
    this.warmupNanos = warmupNanos;
    this.sendEndNanos = sendEndNanos;
    this.progress = progress;
  }

  synchronized void sample() {
    second++;
    long start = (second - 1) * 1_000_000_000L;
    String phase = start < warmupNanos ? "warmup" : start < sendEndNanos ? "measure" : "drain";
    RunCounters.Totals now = books.counters().totals();
    long errors = books.errors().total();
    SecondSample sample = new SecondSample(second, phase, now.scheduled() - previous.scheduled(),
        now.acked() - previous.acked(), now.delivered() - previous.delivered(), now.failed() - previous.failed(),
        errors - previousErrors, now.live(), books.latency().takeAckInterval(),
        books.latency().takeDeliveryInterval(), now.reconnects() - previous.reconnects(),
        now.catchUps() - previous.catchUps());
    previous = now;
    previousErrors = errors;
    samples.add(sample);
    progress.accept(sample);
  }

  synchronized List<SecondSample> samples() {
    return List.copyOf(samples);
  }
}
