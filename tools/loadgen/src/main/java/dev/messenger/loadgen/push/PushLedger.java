package dev.messenger.loadgen.push;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a push load run committed and what the provider accepted: commit → acceptance latency (HdrHistogram,
 * microseconds) of messages committed inside the measurement window, acceptances per second inside it, and
 * every (device, message) accepted more than once. Commit and acceptance are both read from this JVM's
 * {@link System#nanoTime()}: the load generator commits (hands the candidate over, as a router does after
 * its commit) and runs the provider.
 */
public final class PushLedger implements MockFcmServer.Listener {
  private final Map<String, Long> committedNanos = new ConcurrentHashMap<>();
  private final Set<String> accepted = ConcurrentHashMap.newKeySet();
  private final Recorder latency = new Recorder(3);
  private final LongAdder expected = new LongAdder();
  private final LongAdder expectedInWindow = new LongAdder();
  private final LongAdder acceptedInWindow = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder unknown = new LongAdder();
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;

  /** A message handed over at {@code nanos}; {@code notifies} when its recipient has a device. */
  public void committed(String conversationId, long seq, long nanos, boolean notifies) {
    committedNanos.put(conversationId + "#" + seq, nanos);
    if (notifies) {
      expected.increment();
      if (nanos >= windowStart && nanos < windowEnd) {
        expectedInWindow.increment();
      }
    }
  }

  public void windowStarts(long nanos) {
    latency.reset();
    windowStart = nanos;
  }

  public void windowEnds(long nanos) {
    windowEnd = nanos;
  }

  @Override
  public void accepted(String deviceToken, String conversationId, long seq, long acceptedNanos) {
    String message = conversationId + "#" + seq;
    Long committed = committedNanos.get(message);
    if (committed == null) {
      unknown.increment();
      return;
    }
    if (!accepted.add(deviceToken + "|" + message)) {
      duplicates.increment();
      return;
    }
    if (acceptedNanos >= windowStart && acceptedNanos < windowEnd) {
      acceptedInWindow.increment();
    }
    if (committed >= windowStart && committed < windowEnd) {
      latency.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(acceptedNanos - committed)));
    }
  }

  /** Commit → acceptance of the window's messages, in microseconds (taken once, at the end). */
  public Histogram latencyMicros() {
    return latency.getIntervalHistogram();
  }

  public long expected() {
    return expected.sum();
  }

  /** Notifications expected for messages committed inside the window. */
  public long expectedInWindow() {
    return expectedInWindow.sum();
  }

  public long acceptedUnique() {
    return accepted.size();
  }

  public long acceptedInWindow() {
    return acceptedInWindow.sum();
  }

  public long duplicates() {
    return duplicates.sum();
  }

  /** Acceptances of messages this run never committed (expected 0). */
  public long unknown() {
    return unknown.sum();
  }
}
