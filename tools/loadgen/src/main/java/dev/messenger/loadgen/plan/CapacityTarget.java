package dev.messenger.loadgen.plan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a deployment must carry.
 *
 * @param dailyUsers users active per day
 * @param messagesPerUserPerDay messages each of them sends per day
 * @param messageBytes average message size
 * @param peakFactor peak-hour rate over the daily average
 * @param connectionsPerUser device streams open at peak per daily user
 * @param devicesPerUser devices of each member that receive every message
 * @param replication CQL replication factor
 * @param utilization share of each measured limit a node may be planned to use (headroom for failures)
 */
public record CapacityTarget(
    double dailyUsers,
    double messagesPerUserPerDay,
    int messageBytes,
    double peakFactor,
    double connectionsPerUser,
    int devicesPerUser,
    int replication,
    double utilization) {

  public CapacityTarget {
    if (dailyUsers <= 0 || messagesPerUserPerDay <= 0 || messageBytes < 1 || peakFactor < 1
        || connectionsPerUser < 0 || devicesPerUser < 1 || replication < 1 || utilization <= 0 || utilization > 1) {
      throw new IllegalArgumentException("invalid target: counts must be positive, peak factor >= 1, "
          + "utilization in (0, 1]");
    }
  }

  public double averageMessagesPerSecond() {
    return dailyUsers * messagesPerUserPerDay / 86_400.0;
  }

  public double peakMessagesPerSecond() {
    return averageMessagesPerSecond() * peakFactor;
  }

  public double peakStreams() {
    return dailyUsers * connectionsPerUser;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("daily_users", dailyUsers);
    map.put("messages_per_user_per_day", messagesPerUserPerDay);
    map.put("message_bytes", messageBytes);
    map.put("peak_factor", peakFactor);
    map.put("connections_per_user", connectionsPerUser);
    map.put("devices_per_user", devicesPerUser);
    map.put("replication", replication);
    map.put("utilization", utilization);
    return map;
  }
}
