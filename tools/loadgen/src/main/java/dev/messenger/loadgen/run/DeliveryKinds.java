package dev.messenger.loadgen.run;

import dev.messenger.loadgen.report.Histograms;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Send-to-delivery latencies (microseconds, sends scheduled in the window) split by what was delivered: 1:1
 * messages, group messages to each member device, and group messages to the last of their member devices
 * (one value per message, once every device of every member has it). A run that mixes both shows what a
 * busy group does to 1:1 latency. Apart: the deliveries of messages the servers accepted at their first
 * attempt (never refused with a retry hint), from when they were scheduled; and every delivery counted from
 * when its client wrote the attempt the servers stored, which leaves out the time a send waited in its
 * client (refused, or held behind a refused send of its conversation): under overload, the latency of
 * what the servers let in.
 */
public record DeliveryKinds(Histogram direct, Histogram group, Histogram groupLastMember, Histogram firstAttempt,
    Histogram fromAcceptedAttempt) {
  /** The report keys, in order. */
  public static final String DIRECT = "delivery_1to1";
  public static final String GROUP = "delivery_group";
  public static final String GROUP_LAST_MEMBER = "delivery_group_last_member";
  public static final String FIRST_ATTEMPT = "delivery_accepted_at_first_attempt";
  public static final String FROM_ACCEPTED_ATTEMPT = "delivery_from_accepted_attempt";

  public static DeliveryKinds empty() {
    return new DeliveryKinds(Histograms.newHistogram(), Histograms.newHistogram(), Histograms.newHistogram(),
        Histograms.newHistogram(), Histograms.newHistogram());
  }

  /** Adds another process's share into this one. */
  public void add(DeliveryKinds other) {
    direct.add(other.direct);
    group.add(other.group);
    groupLastMember.add(other.groupLastMember);
    firstAttempt.add(other.firstAttempt);
    fromAcceptedAttempt.add(other.fromAcceptedAttempt);
  }

  /** Each non-empty kind by its report key, turned into what the report holds. */
  public Map<String, Object> toMap(Function<Histogram, Object> each) {
    Map<String, Object> map = new LinkedHashMap<>();
    put(map, DIRECT, direct, each);
    put(map, GROUP, group, each);
    put(map, GROUP_LAST_MEMBER, groupLastMember, each);
    put(map, FIRST_ATTEMPT, firstAttempt, each);
    put(map, FROM_ACCEPTED_ATTEMPT, fromAcceptedAttempt, each);
    return map;
  }

  private static void put(Map<String, Object> map, String key, Histogram h, Function<Histogram, Object> each) {
    if (h.getTotalCount() > 0) {
      map.put(key, each.apply(h));
    }
  }

  /** Back from encoded histograms by report key (absent kinds are empty). */
  public static DeliveryKinds decode(Function<String, String> encodedByKey) {
    return new DeliveryKinds(decodeOne(encodedByKey.apply(DIRECT)), decodeOne(encodedByKey.apply(GROUP)),
        decodeOne(encodedByKey.apply(GROUP_LAST_MEMBER)), decodeOne(encodedByKey.apply(FIRST_ATTEMPT)),
        decodeOne(encodedByKey.apply(FROM_ACCEPTED_ATTEMPT)));
  }

  private static Histogram decodeOne(String encoded) {
    return encoded.isEmpty() ? Histograms.newHistogram() : Histograms.decode(encoded);
  }
}
