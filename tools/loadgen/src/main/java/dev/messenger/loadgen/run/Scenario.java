package dev.messenger.loadgen.run;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
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
 * @param groupShare fraction of sends that go to groups; must be 0 until groups exist
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
    long seed) {

  public Scenario {
    requireNonNull(warmup, "warmup");
    requireNonNull(duration, "duration");
    requireNonNull(drain, "drain");
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(arrival, "arrival");
    if (groupShare != 0) {
      throw new IllegalArgumentException("group traffic is not available: this release has no groups yet, so "
          + "--group-share must be 0 (got " + groupShare + "); only 1:1 conversations can be simulated");
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
        Duration.ofSeconds(10), 1000, 1000, Duration.ofSeconds(60), Arrival.UNIFORM, 1);
  }

  public Scenario withWarmup(Duration value) {
    return new Scenario(users, devicesPerUser, contactsPerUser, ratePerUser, messageBytes, groupShare, value,
        duration, drain, connectRate, maxPendingConnects, connectTimeout, arrival, seed);
  }

  public Scenario withDrain(Duration value) {
    return new Scenario(users, devicesPerUser, contactsPerUser, ratePerUser, messageBytes, groupShare, warmup,
        duration, value, connectRate, maxPendingConnects, connectTimeout, arrival, seed);
  }

  public Scenario withUsers(int value) {
    return new Scenario(value, devicesPerUser, contactsPerUser, ratePerUser, messageBytes, groupShare, warmup,
        duration, drain, connectRate, maxPendingConnects, connectTimeout, arrival, seed);
  }

  public Scenario withRatePerUser(double value) {
    return new Scenario(users, devicesPerUser, contactsPerUser, value, messageBytes, groupShare, warmup,
        duration, drain, connectRate, maxPendingConnects, connectTimeout, arrival, seed);
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
        num(m, "seed").longValue());
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
