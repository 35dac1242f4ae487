package dev.messenger.loadgen.run;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency recordings in microseconds, all measured from the scheduled send time: send-to-ack and
 * send-to-delivery. Each value goes to an interval recorder (for the per-second series, by completion
 * time) and, when the send was scheduled inside the measurement window, to the window totals (whatever
 * time it completed, so slow messages sent near the end are not dropped). Thread-safe, wait-free.
 */
public final class LatencyBook {
  private final Recorder ackInterval = new Recorder(3);
  private final Recorder deliveryInterval = new Recorder(3);
  private final Recorder ackWindow = new Recorder(3);
  private final Recorder deliveryWindow = new Recorder(3);

  public void ack(long nanos, boolean inWindow) {
    record(ackInterval, ackWindow, nanos, inWindow);
  }

  public void delivery(long nanos, boolean inWindow) {
    record(deliveryInterval, deliveryWindow, nanos, inWindow);
  }

  private static void record(Recorder interval, Recorder window, long nanos, boolean inWindow) {
    long micros = Math.max(1, nanos / 1000);
    interval.recordValue(micros);
    if (inWindow) {
      window.recordValue(micros);
    }
  }

  /** Ack latencies recorded since the previous call (for one second of the series). */
  public Histogram takeAckInterval() {
    return ackInterval.getIntervalHistogram();
  }

  public Histogram takeDeliveryInterval() {
    return deliveryInterval.getIntervalHistogram();
  }

  /** Every in-window ack latency; call once, at the end. */
  public Histogram ackTotal() {
    return ackWindow.getIntervalHistogram();
  }

  public Histogram deliveryTotal() {
    return deliveryWindow.getIntervalHistogram();
  }
}
