package dev.messenger.loadgen.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counts of a run (or of one conversation), in two units: sends count messages, deliveries count
 * (message, receiving device) pairs. Every device of every member receives every message, the sending
 * device included, so one acknowledged message expects as many deliveries as its conversation has devices.
 *
 * @param scheduled sends the clock scheduled
 * @param notSent scheduled sends the client could not take (its outbox was full or it was closed)
 * @param sent sends handed to the client library
 * @param acked sends acknowledged by the server (durably stored)
 * @param failed sends rejected for good
 * @param expectedDeliveries for every acknowledged message, the number of devices of all its members
 * @param delivered distinct deliveries (first arrival of a message at a device), of any message
 * @param deliveredOfAcked distinct deliveries of acknowledged messages
 * @param lost expected deliveries of acknowledged messages that never arrived (deliveries)
 * @param lostMessages acknowledged messages with at least one device that never received them
 * @param lostBehind of {@code lost}, deliveries to a device that received nothing later in that conversation
 *     either (its delivery stalled there) rather than skipping the message and going on
 * @param lostAtDrainEnd deliveries of acknowledged messages missing when the drain ended; those that
 *     arrived during the extra wait after it ({@code lostAtDrainEnd - lost}) were late, not lost
 * @param duplicated deliveries of a message a device already had (stored twice or redelivered)
 * @param outOfOrder deliveries that arrived after a later message of the same sender device, or with a
 *     conversation seq not above the previous one
 * @param foreign deliveries that no send of this run explains
 */
public record Tally(
    long scheduled,
    long notSent,
    long sent,
    long acked,
    long failed,
    long expectedDeliveries,
    long delivered,
    long deliveredOfAcked,
    long lost,
    long lostMessages,
    long lostBehind,
    long lostAtDrainEnd,
    long duplicated,
    long outOfOrder,
    long foreign) {

  public static final Tally ZERO = new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Sends still without an answer. */
  public long unresolved() {
    return sent - acked - failed;
  }

  public Tally plus(Tally o) {
    return new Tally(scheduled + o.scheduled, notSent + o.notSent, sent + o.sent, acked + o.acked,
        failed + o.failed, expectedDeliveries + o.expectedDeliveries, delivered + o.delivered,
        deliveredOfAcked + o.deliveredOfAcked, lost + o.lost, lostMessages + o.lostMessages,
        lostBehind + o.lostBehind, lostAtDrainEnd + o.lostAtDrainEnd, duplicated + o.duplicated,
        outOfOrder + o.outOfOrder, foreign + o.foreign);
  }

  /** Adds deliveries counted outside the ledger (redeliveries the client library dropped, foreign ones). */
  public Tally withExtra(long extraDuplicates, long extraForeign) {
    return new Tally(scheduled, notSent, sent, acked, failed, expectedDeliveries, delivered, deliveredOfAcked,
        lost, lostMessages, lostBehind, lostAtDrainEnd, duplicated + extraDuplicates, outOfOrder,
        foreign + extraForeign);
  }

  /** The same, with the deliveries that were missing when the drain ended. */
  public Tally withLostAtDrainEnd(long value) {
    return new Tally(scheduled, notSent, sent, acked, failed, expectedDeliveries, delivered, deliveredOfAcked,
        lost, lostMessages, lostBehind, value, duplicated, outOfOrder, foreign);
  }

  /** Deliveries missing when the drain ended that arrived during the extra wait. */
  public long lateAfterDrain() {
    return Math.max(0, lostAtDrainEnd - lost);
  }

  /** report.json's {@code messages} object. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("scheduled", scheduled);
    map.put("not_sent", notSent);
    map.put("sent", sent);
    map.put("acked", acked);
    map.put("failed", failed);
    map.put("unresolved", unresolved());
    map.put("delivered", delivered);
    map.put("expected_deliveries", expectedDeliveries);
    map.put("delivered_of_acked", deliveredOfAcked);
    map.put("lost", lost);
    map.put("lost_messages", lostMessages);
    map.put("lost_behind", lostBehind);
    map.put("lost_at_drain_end", lostAtDrainEnd);
    map.put("late_after_drain", lateAfterDrain());
    map.put("duplicated", duplicated);
    map.put("out_of_order", outOfOrder);
    map.put("foreign", foreign);
    return map;
  }

  /** Reads {@link #toMap()} back (for merging reports of several processes). */
  public static Tally fromMap(Map<String, Object> m) {
    return new Tally(l(m, "scheduled"), l(m, "not_sent"), l(m, "sent"), l(m, "acked"), l(m, "failed"),
        l(m, "expected_deliveries"), l(m, "delivered"), l(m, "delivered_of_acked"), l(m, "lost"),
        l(m, "lost_messages"), l(m, "lost_behind"), l(m, "lost_at_drain_end"), l(m, "duplicated"),
        l(m, "out_of_order"), l(m, "foreign"));
  }

  private static long l(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n.longValue() : 0;
  }
}
