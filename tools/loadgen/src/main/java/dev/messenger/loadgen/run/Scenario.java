package dev.messenger.loadgen.run;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The traffic of one run: who is simulated and what they do. Sends are open loop: each is scheduled by
 * the clock and its latency counts from that scheduled time, whatever the replies do.
 *
 * @param users simulated users (in all processes together)
 * @param devicesPerUser devices per user, each holding its own Connect stream
 * @param contactsPerUser 1:1 peers each user writes to (1 = fixed pairs)
 * @param ratePerUser messages per second each user sends (0 = idle streams only)
 * @param messageBytes body size in characters (at least the check header, ~40)
 * @param groupShare fraction of sends that go to the sender's group (0..1)
 * @param groupSizes sizes of the groups the users of each process are split into, used in turn (a mix), each
 *     2..500; every user belongs to one group
 * @param warmup sending time before measuring (excluded from latency and throughput)
 * @param duration measured sending time
 * @param drain time after the last send to wait for outstanding acks and deliveries
 * @param connectRate device connects started per second during the ramp
 * @param maxPendingConnects most devices connecting (started, not yet caught up) at once during the ramp
 * @param connectTimeout how long the ramp may take before unconnected devices are given up
 * @param arrival how each user's sends are spaced
 * @param seed seed of every random choice (phases, peers), for repeatable runs
 */
public record Scenario(
    int users,
    int devicesPerUser,
    int contactsPerUser,
    double ratePerUser,
    int messageBytes,
    double groupShare,
    Duration warmup,
    Duration duration,
    Duration drain,
    int connectRate,
    int maxPendingConnects,
    Duration connectTimeout,
    Arrival arrival,
    long seed,
    List<Integer> groupSizes) {

  public Scenario {
    requireNonNull(warmup, "warmup");
    requireNonNull(duration, "duration");
    requireNonNull(drain, "drain");
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(arrival, "arrival");
    groupSizes = List.copyOf(requireNonNull(groupSizes, "groupSizes"));
    if (!(groupShare >= 0 && groupShare <= 1)) {
      throw new IllegalArgumentException("--group-share must be between 0 and 1 (got " + groupShare + ")");
    }
    if (groupSizes.isEmpty() || groupSizes.stream().anyMatch(n -> n < 2 || n > 500)) {
      throw new IllegalArgumentException("--group-size values must be between 2 and 500 (got " + groupSizes + ")");
    }
    if (users < 1 || devicesPerUser < 1) {
      throw new IllegalArgumentException("users and devices per user must be at least 1");
    }
    if (ratePerUser < 0 || Double.isNaN(ratePerUser) || Double.isInfinite(ratePerUser)) {
      throw new IllegalArgumentException("the send rate per user must be a finite number >= 0");
    }
    if (ratePerUser > 0 && users < 2) {
      throw new IllegalArgumentException("1:1 traffic needs at least 2 users");
    }
    if (contactsPerUser < 1 || (users > 1 && contactsPerUser > users - 1)) {
      throw new IllegalArgumentException("contacts per user must be between 1 and users - 1");
    }
    if (messageBytes < 1 || messageBytes > 100_000) {
      throw new IllegalArgumentException("message size must be 1..100000 characters");
    }
    if (warmup.isNegative() || duration.isNegative() || drain.isNegative() || connectTimeout.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (connectRate < 1 || maxPendingConnects < 1) {
      throw new IllegalArgumentException("the connect rate and pending connects must be at least 1");
    }
  }

  /** A small scenario with defaults for everything but users, rate and duration; for tests. */
  public static Scenario of(int users, int devicesPerUser, double ratePerUser, Duration duration) {
    return new Scenario(users, devicesPerUser, 1, ratePerUser, 100, 0, Duration.ZERO, duration,
        Duration.ofSeconds(10), 1000, 1000, Duration.ofSeconds(60), Arrival.UNIFORM, 1, List.of(10));
  }

  public Scenario withWarmup(Duration value) {
    return new Scenario(users, devicesPerUser, contactsPerUser, ratePerUser, messageBytes, groupShare, value,
        duration, drain, connectRate, maxPendingConnects, connectTimeout, arrival, seed, groupSizes);
  }

  public Scenario withDrain(Duration value) {
    return new Scenario(users, devicesPerUser, contactsPerUser, ratePerUser, messageBytes, groupShare, warmup,
        duration, value, connectRate, maxPendingConnects, connectTimeout, arrival, seed, groupSizes);
  }

  public Scenario withUsers(int value) {
    return new Scenario(value, devicesPerUser, contactsPerUser, ratePerUser, messageBytes, groupShare, warmup,
        duration, drain, connectRate, maxPendingConnects, connectTimeout, arrival, seed, groupSizes);
  }

  /** The same with group traffic: this share of sends to groups of these sizes. */
  public Scenario withGroups(double share, List<Integer> sizes) {
    return new Scenario(users, devicesPerUser, contactsPerUser, ratePerUser, messageBytes, share, warmup,
        duration, drain, connectRate, maxPendingConnects, connectTimeout, arrival, seed, sizes);
  }

  public Scenario withRatePerUser(double value) {
    return new Scenario(users, devicesPerUser, contactsPerUser, value, messageBytes, groupShare, warmup,
        duration, drain, connectRate, maxPendingConnects, connectTimeout, arrival, seed, groupSizes);
  }

  /** Total offered send rate, messages per second. */
  public double totalRate() {
    return users * ratePerUser;
  }

  /** The knobs, as report.json's {@code scenario} holds them. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("users", users);
    map.put("devices_per_user", devicesPerUser);
    map.put("contacts_per_user", contactsPerUser);
    map.put("rate_per_user", ratePerUser);
    map.put("total_rate", totalRate());
    map.put("message_bytes", messageBytes);
    map.put("group_share", groupShare);
    map.put("direct_share", 1.0 - groupShare);
    map.put("group_sizes", groupSizes);
    map.put("warmup_s", warmup.toMillis() / 1000.0);
    map.put("duration_s", duration.toMillis() / 1000.0);
    map.put("drain_s", drain.toMillis() / 1000.0);
    map.put("connect_rate_per_s", connectRate);
    map.put("max_pending_connects", maxPendingConnects);
    map.put("connect_timeout_s", connectTimeout.toMillis() / 1000.0);
    map.put("arrival", arrival.name().toLowerCase(java.util.Locale.ROOT));
    map.put("seed", seed);
    map.put("open_loop", true);
    return map;
  }

  /** Reads {@link #toMap()} back. */
  public static Scenario fromMap(Map<String, Object> m) {
    return new Scenario(
        num(m, "users").intValue(),
        num(m, "devices_per_user").intValue(),
        num(m, "contacts_per_user").intValue(),
        num(m, "rate_per_user").doubleValue(),
        num(m, "message_bytes").intValue(),
        num(m, "group_share").doubleValue(),
        seconds(m, "warmup_s"),
        seconds(m, "duration_s"),
        seconds(m, "drain_s"),
        num(m, "connect_rate_per_s").intValue(),
        m.get("max_pending_connects") instanceof Number n ? n.intValue() : 1000,
        seconds(m, "connect_timeout_s"),
        Arrival.valueOf(String.valueOf(m.getOrDefault("arrival", "uniform")).toUpperCase(java.util.Locale.ROOT)),
        num(m, "seed").longValue(),
        m.get("group_sizes") instanceof List<?> sizes
            ? sizes.stream().map(n -> ((Number) n).intValue()).toList() : List.of(10));
  }

  private static Number num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("the report's scenario has no " + key);
    }
    return n;
  }

  private static Duration seconds(Map<String, Object> m, String key) {
    return Duration.ofMillis(Math.round(num(m, key).doubleValue() * 1000));
  }
}
