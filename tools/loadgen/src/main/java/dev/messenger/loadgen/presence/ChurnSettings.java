package dev.messenger.loadgen.presence;

import static java.util.Objects.requireNonNull;

import dev.messenger.common.auth.Tokens;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A presence churn scenario: {@code watchers} users stay connected, each watching {@code watchesPerWatcher}
 * of the {@code churners} users, who connect and disconnect at {@code rate} transitions per second in total.
 *
 * @param prefix start of every user id of the run, unique per run so that runs do not see each other
 * @param rate transitions per second drawn by the schedule, over all churning users (a blip's reconnect
 *     follows its disconnect by itself and comes on top)
 * @param minOnline shortest online hold; longer than the online delay, so every connect is shown
 * @param minOffline shortest offline hold of a disconnect; longer than the grace period, so it is shown
 * @param blipFraction share of disconnects that are blips: back after at most {@code blipLength}
 * @param blipLength longest blip (each lasts between half of it and all of it); shorter than the grace
 *     period, so watchers must see nothing of it
 * @param onlineDelay the deployment's configured online delay (1 s by default)
 * @param grace the deployment's configured grace period (5 s by default)
 * @param margin how far holds must stay from the configured delays, either way
 * @param warmup transitions before this are made but not measured
 * @param duration the measured window after the warm-up
 * @param drain the longest wait after the schedule ends for notifications still due
 * @param connectTimeout how long a connect may take before the user counts as failed
 * @param seed seed of the schedule and the choices
 */
public record ChurnSettings(
    String prefix,
    int watchers,
    int watchesPerWatcher,
    int churners,
    double rate,
    Arrivals arrivals,
    Duration minOnline,
    Duration minOffline,
    double blipFraction,
    Duration blipLength,
    Duration onlineDelay,
    Duration grace,
    Duration margin,
    Duration warmup,
    Duration duration,
    Duration drain,
    Duration connectTimeout,
    long seed) {

  /** Most users one device stream may watch (the public API's limit). */
  public static final int WATCH_LIMIT = 500;

  public ChurnSettings {
    requireNonNull(prefix, "prefix");
    requireNonNull(arrivals, "arrivals");
    for (Duration d : new Duration[] {minOnline, minOffline, blipLength, onlineDelay, grace, margin, warmup,
        duration, drain, connectTimeout}) {
      requireNonNull(d, "durations");
      if (d.isNegative()) {
        throw new IllegalArgumentException("durations must not be negative");
      }
    }
    if (prefix.length() > 48 || !Tokens.isValidId(prefix)) {
      throw new IllegalArgumentException("--prefix must be 1 to 48 of letters, digits, '.', '_', '@', '-'");
    }
    if (watchers < 1 || churners < 1) {
      throw new IllegalArgumentException("--watchers and --churners must be at least 1");
    }
    if (watchesPerWatcher < 1 || watchesPerWatcher > Math.min(churners, WATCH_LIMIT)) {
      throw new IllegalArgumentException("--watches must be between 1 and min(--churners, " + WATCH_LIMIT + ")");
    }
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("--rate must be a positive number");
    }
    if (minOnline.compareTo(onlineDelay.plus(margin)) < 0) {
      throw new IllegalArgumentException("--min-online (" + ms(minOnline) + ") must be at least the online delay "
          + "plus the margin (" + ms(onlineDelay.plus(margin)) + "), or connects would not be shown");
    }
    if (minOffline.compareTo(grace.plus(margin)) < 0) {
      throw new IllegalArgumentException("--min-offline (" + ms(minOffline) + ") must be at least the grace "
          + "period plus the margin (" + ms(grace.plus(margin)) + "), or disconnects would not be shown");
    }
    if (blipFraction < 0 || blipFraction > 1) {
      throw new IllegalArgumentException("--blip-fraction must be between 0 and 1");
    }
    if (blipFraction > 0 && (blipLength.toMillis() < 2 || blipLength.compareTo(grace.minus(margin)) > 0)) {
      throw new IllegalArgumentException("--blip-length (" + ms(blipLength) + ") must be at least 2 ms and at most "
          + "the grace period minus the margin (" + ms(grace.minus(margin)) + ")");
    }
    if (duration.isZero() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("--duration and --connect-timeout must be positive");
    }
  }

  /**
   * 200 watchers each watching 20 of 200 churning users, 20 transitions/s (Poisson), for the default
   * delays of the presence service (online after 1 s, offline after 5 s), 10 s warm-up, 60 s measured.
   */
  public static ChurnSettings defaults() {
    Duration onlineDelay = Duration.ofSeconds(1);
    Duration grace = Duration.ofSeconds(5);
    return new ChurnSettings(newPrefix(), 200, 20, 200, 20, Arrivals.POISSON, defaultMinOnline(onlineDelay),
        defaultMinOffline(grace), 0.2, defaultBlipLength(grace), onlineDelay, grace, Duration.ofMillis(500),
        Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofSeconds(10),
        System.nanoTime());
  }

  /** A fresh run prefix: "pc-" and eight random hex digits. */
  public static String newPrefix() {
    return "pc-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The online delay plus one second. */
  public static Duration defaultMinOnline(Duration onlineDelay) {
    return onlineDelay.plusSeconds(1);
  }

  /** The grace period plus two seconds. */
  public static Duration defaultMinOffline(Duration grace) {
    return grace.plusSeconds(2);
  }

  /** Half the grace period. */
  public static Duration defaultBlipLength(Duration grace) {
    return grace.dividedBy(2);
  }

  public ChurnSettings withPrefix(String newPrefix) {
    return new ChurnSettings(newPrefix, watchers, watchesPerWatcher, churners, rate, arrivals, minOnline,
        minOffline, blipFraction, blipLength, onlineDelay, grace, margin, warmup, duration, drain, connectTimeout,
        seed);
  }

  /** Other counts of watchers, watches per watcher and churning users. */
  public ChurnSettings withPopulation(int newWatchers, int newWatches, int newChurners) {
    return new ChurnSettings(prefix, newWatchers, newWatches, newChurners, rate, arrivals, minOnline, minOffline,
        blipFraction, blipLength, onlineDelay, grace, margin, warmup, duration, drain, connectTimeout, seed);
  }

  public ChurnSettings withRate(double newRate, Arrivals newArrivals) {
    return new ChurnSettings(prefix, watchers, watchesPerWatcher, churners, newRate, newArrivals, minOnline,
        minOffline, blipFraction, blipLength, onlineDelay, grace, margin, warmup, duration, drain, connectTimeout,
        seed);
  }

  /**
   * The deployment's online delay and grace period, with the holds derived from them ({@link
   * #defaultMinOnline}, {@link #defaultMinOffline}, {@link #defaultBlipLength}); set other holds after.
   */
  public ChurnSettings withExpectedDelays(Duration newOnlineDelay, Duration newGrace, Duration newMargin) {
    return new ChurnSettings(prefix, watchers, watchesPerWatcher, churners, rate, arrivals,
        defaultMinOnline(newOnlineDelay), defaultMinOffline(newGrace), blipFraction, defaultBlipLength(newGrace),
        newOnlineDelay, newGrace, newMargin, warmup, duration, drain, connectTimeout, seed);
  }

  public ChurnSettings withHolds(Duration newMinOnline, Duration newMinOffline, double newBlipFraction,
      Duration newBlipLength) {
    return new ChurnSettings(prefix, watchers, watchesPerWatcher, churners, rate, arrivals, newMinOnline,
        newMinOffline, newBlipFraction, newBlipLength, onlineDelay, grace, margin, warmup, duration, drain,
        connectTimeout, seed);
  }

  public ChurnSettings withTiming(Duration newWarmup, Duration newDuration, Duration newDrain) {
    return new ChurnSettings(prefix, watchers, watchesPerWatcher, churners, rate, arrivals, minOnline,
        minOffline, blipFraction, blipLength, onlineDelay, grace, margin, newWarmup, newDuration, newDrain,
        connectTimeout, seed);
  }

  public ChurnSettings withConnectTimeout(Duration newConnectTimeout) {
    return new ChurnSettings(prefix, watchers, watchesPerWatcher, churners, rate, arrivals, minOnline,
        minOffline, blipFraction, blipLength, onlineDelay, grace, margin, warmup, duration, drain,
        newConnectTimeout, seed);
  }

  public ChurnSettings withSeed(long newSeed) {
    return new ChurnSettings(prefix, watchers, watchesPerWatcher, churners, rate, arrivals, minOnline,
        minOffline, blipFraction, blipLength, onlineDelay, grace, margin, warmup, duration, drain, connectTimeout,
        newSeed);
  }

  String watcherId(int index) {
    return prefix + "-w" + index;
  }

  String churnerId(int index) {
    return prefix + "-c" + index;
  }

  /**
   * The churning users watcher {@code watcher} watches: consecutive ones from a start that moves on by
   * {@code watchesPerWatcher} per watcher, so every churning user has about the same number of watchers.
   */
  int[] watchedBy(int watcher) {
    int[] watched = new int[watchesPerWatcher];
    long start = (long) watcher * watchesPerWatcher;
    for (int j = 0; j < watchesPerWatcher; j++) {
      watched[j] = (int) ((start + j) % churners);
    }
    return watched;
  }

  /** The scenario as written in the report. */
  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", "presence-churn");
    map.put("prefix", prefix);
    map.put("watchers", watchers);
    map.put("watches_per_watcher", watchesPerWatcher);
    map.put("churners", churners);
    map.put("rate_per_s", rate);
    map.put("arrivals", arrivals.label());
    map.put("min_online_ms", minOnline.toMillis());
    map.put("min_offline_ms", minOffline.toMillis());
    map.put("blip_fraction", blipFraction);
    map.put("blip_length_ms", blipLength.toMillis());
    map.put("expected_online_delay_ms", onlineDelay.toMillis());
    map.put("expected_grace_ms", grace.toMillis());
    map.put("margin_ms", margin.toMillis());
    map.put("warmup_s", warmup.toMillis() / 1000.0);
    map.put("duration_s", duration.toMillis() / 1000.0);
    map.put("drain_s", drain.toMillis() / 1000.0);
    map.put("seed", seed);
    return map;
  }

  private static String ms(Duration d) {
    return d.toMillis() + " ms";
  }
}
