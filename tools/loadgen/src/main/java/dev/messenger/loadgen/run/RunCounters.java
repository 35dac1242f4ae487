package dev.messenger.loadgen.run;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals that the progress line, the per-second series and the drain check read while the run
 * goes on. The final counts come from the {@link Ledger}; these only follow along.
 */
public final class RunCounters {
  final LongAdder scheduled = new LongAdder();
  /** Sends scheduled inside the measurement window. */
  final LongAdder scheduledInWindow = new LongAdder();
  final LongAdder notSent = new LongAdder();
  final LongAdder acked = new LongAdder();
  /** Acks that arrived inside the measurement window (whenever their send was scheduled). */
  final LongAdder ackedInWindow = new LongAdder();
  final LongAdder failed = new LongAdder();
  /** Deliveries expected so far: for each ack, the devices of its conversation. */
  final LongAdder expected = new LongAdder();
  final LongAdder firstDeliveries = new LongAdder();
  /** First deliveries that arrived inside the measurement window. */
  final LongAdder deliveredInWindow = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  /** Deliveries of no conversation of this run, or whose body has no header of this run. */
  final LongAdder foreignOutsideLedger = new LongAdder();
  /** Devices that caught up at least once. */
  final AtomicInteger caughtUp = new AtomicInteger();
  /** Streams that came up for a device that had one before. */
  final LongAdder reconnects = new LongAdder();
  /** Catch-ups that ended after a reconnect (each device's first one is not counted). */
  final LongAdder catchUps = new LongAdder();
  private final AtomicInteger live = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  void streamUp() {
    int now = live.incrementAndGet();
    peak.accumulateAndGet(now, Math::max);
  }

  void streamDown() {
    live.decrementAndGet();
  }

  public int live() {
    return live.get();
  }

  public int peak() {
    return peak.get();
  }

  /** Sends with no answer yet. */
  long unresolved() {
    return scheduled.sum() - notSent.sum() - acked.sum() - failed.sum();
  }

  /** True when every send is answered and every expected delivery has arrived (or more). */
  boolean settled() {
    return unresolved() == 0 && firstDeliveries.sum() >= expected.sum();
  }

  /** A snapshot for the series: totals now. */
  Totals totals() {
    return new Totals(scheduled.sum(), acked.sum(), failed.sum() + notSent.sum(), firstDeliveries.sum(),
        expected.sum(), live.get(), reconnects.sum(), catchUps.sum());
  }

  /** Running totals at one instant. */
  record Totals(long scheduled, long acked, long failed, long delivered, long expected, int live,
      long reconnects, long catchUps) {}
}
