package dev.messenger.loadgen.run;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency recordings in microseconds, all measured from the scheduled send time: send-to-ack and
 * send-to-delivery (also by kind: 1:1, group, group to its last member). Each value goes to an interval recorder (for the per-second series, by completion
 * time) and, when the send was scheduled inside the measurement window, to the window totals (whatever
 * time it completed, so slow messages sent near the end are not dropped). Thread-safe, wait-free.
 */
public final class LatencyBook {
  private final Recorder ackInterval = new Recorder(3);
  private final Recorder deliveryInterval = new Recorder(3);
  private final Recorder ackWindow = new Recorder(3);
  private final Recorder deliveryWindow = new Recorder(3);
  private final Recorder directWindow = new Recorder(3);
  private final Recorder groupWindow = new Recorder(3);
  private final Recorder groupLastMemberWindow = new Recorder(3);
  private final Recorder firstAttemptWindow = new Recorder(3);
  private final Recorder fromAcceptedAttemptWindow = new Recorder(3);

  public void ack(long nanos, boolean inWindow) {
    record(ackInterval, ackWindow, nanos, inWindow);
  }

  /**
   * A first delivery of a message to a device; {@code group}: of a group conversation; {@code refusedBefore}:
   * the servers refused an earlier attempt of this send; {@code sinceWritten}: nanoseconds since its client
   * last wrote it (the attempt the servers stored), or -1 when not known.
   */
  public void delivery(long nanos, boolean inWindow, boolean group, boolean refusedBefore, long sinceWritten) {
    record(deliveryInterval, deliveryWindow, nanos, inWindow);
    if (inWindow) {
      (group ? groupWindow : directWindow).recordValue(Math.max(1, nanos / 1000));
      if (!refusedBefore) {
        firstAttemptWindow.recordValue(Math.max(1, nanos / 1000));
      }
      if (sinceWritten >= 0) {
        fromAcceptedAttemptWindow.recordValue(Math.max(1, sinceWritten / 1000));
      }
    }
  }

  /** A group message reached the last of its member devices. */
  public void groupCompleted(long nanos, boolean inWindow) {
    if (inWindow) {
      groupLastMemberWindow.recordValue(Math.max(1, nanos / 1000));
    }
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

  /** The in-window delivery latencies by kind; call once, at the end. */
  public DeliveryKinds deliveryKinds() {
    return new DeliveryKinds(directWindow.getIntervalHistogram(), groupWindow.getIntervalHistogram(),
        groupLastMemberWindow.getIntervalHistogram(), firstAttemptWindow.getIntervalHistogram(),
        fromAcceptedAttemptWindow.getIntervalHistogram());
  }
}
