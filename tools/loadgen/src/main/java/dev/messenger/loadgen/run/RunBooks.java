package dev.messenger.loadgen.run;

import static java.util.Objects.requireNonNull;

/**
 * What every simulated device writes to while a run goes on: the ledger (set once the ramp is over),
 * the latency recordings, the running counters and the errors. The epoch is the instant sends start;
 * header times and the measurement window are relative to it.
 */
public final class RunBooks {
  private final String runId;
  private final Ticker ticker;
  private final LatencyBook latency = new LatencyBook();
  private final RunCounters counters = new RunCounters();
  private final ErrorCounts errors = new ErrorCounts();
  private final java.util.Set<String> refusedSends = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Client message id → when its client last wrote it (nanoseconds since the epoch), until delivered to all. */
  private final java.util.Map<String, Long> lastWritten = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Ledger ledger = new Ledger(java.util.List.of());
  private volatile long epochNanos;
  private volatile long windowStart;
  private volatile long windowEnd;

  public RunBooks(String runId, Ticker ticker) {
    this.runId = requireNonNull(runId, "runId");
    this.ticker = requireNonNull(ticker, "ticker");
  }

  /** Starts the send phase: from now on, times are relative to this epoch. */
  void start(Ledger ledger, long epochNanos, long windowStartNanos, long windowEndNanos) {
    this.ledger = ledger;
    this.windowStart = windowStartNanos;
    this.windowEnd = windowEndNanos;
    this.epochNanos = epochNanos;
  }

  /** Nanoseconds since the epoch. */
  long now() {
    return ticker.nanoTime() - epochNanos;
  }

  boolean inWindow(long scheduledNanos) {
    return scheduledNanos >= windowStart && scheduledNanos < windowEnd;
  }

  String runId() {
    return runId;
  }

  public Ledger ledger() {
    return ledger;
  }

  public LatencyBook latency() {
    return latency;
  }

  public RunCounters counters() {
    return counters;
  }

  public ErrorCounts errors() {
    return errors;
  }

  /** A client wrote the send (again): a later attempt replaces an earlier one. */
  void written(String clientMessageId) {
    lastWritten.put(clientMessageId, now());
  }

  /** Nanoseconds from the send's last write until {@code now}, or -1 when no write was heard. */
  long sinceWritten(String clientMessageId, long now) {
    Long at = lastWritten.get(clientMessageId);
    return at == null ? -1 : now - at;
  }

  /** Every device has the message: its write time is no longer needed. */
  void deliveredToAll(String clientMessageId) {
    lastWritten.remove(clientMessageId);
  }

  /** Client message ids of sends the servers refused at least once (each then resent by its client). */
  public java.util.Set<String> refusedSends() {
    return refusedSends;
  }
}
