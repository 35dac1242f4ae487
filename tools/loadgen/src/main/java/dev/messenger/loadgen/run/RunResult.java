package dev.messenger.loadgen.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Everything one run (or one process's share of it) measured. {@link #ledger()} is kept for tests that
 * compare the tool's counts with what the deployment stored; it is null in merged results.
 *
 * @param windowSeconds length of the measurement window (sending time after warm-up)
 * @param sentInWindow sends scheduled inside the window
 * @param ackedInWindow acks received inside the window
 * @param deliveredInWindow first deliveries received inside the window
 * @param ack send-to-ack latencies (microseconds) of sends scheduled in the window
 * @param delivery send-to-delivery latencies (microseconds) of sends scheduled in the window
 * @param deliveryKinds the same, split into 1:1, group, and group to its last member device
 * @param redeliveriesDropped deliveries of an already received seq, dropped by the client library
 * @param gapsDetected times a client saw a seq gap and reconnected to fill it from history
 * @param pacerMaxLagMillis how far behind its schedule the sender thread ever was
 * @param server what a server probe measured (e.g. heap per idle stream), possibly empty
 * @param process the load generator's own use of the machine (CPU while sending, heap, descriptors)
 */
public record RunResult(
    String runId,
    Instant startedAt,
    Scenario scenario,
    Map<String, Object> target,
    String shard,
    double windowSeconds,
    Tally tally,
    long sentInWindow,
    long ackedInWindow,
    long deliveredInWindow,
    Histogram ack,
    Histogram delivery,
    DeliveryKinds deliveryKinds,
    List<SecondSample> series,
    ConnectionStats connections,
    Map<String, Object> errors,
    Map<String, Object> errorsByReason,
    long redeliveriesDropped,
    long gapsDetected,
    double pacerMaxLagMillis,
    Map<String, Object> server,
    Map<String, Object> process,
    Ledger ledger) {

  public double ackedPerSecond() {
    return windowSeconds <= 0 ? 0 : ackedInWindow / windowSeconds;
  }

  public double deliveredPerSecond() {
    return windowSeconds <= 0 ? 0 : deliveredInWindow / windowSeconds;
  }

  public double sentPerSecond() {
    return windowSeconds <= 0 ? 0 : sentInWindow / windowSeconds;
  }
}
