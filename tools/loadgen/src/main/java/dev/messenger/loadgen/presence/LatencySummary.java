package dev.messenger.loadgen.presence;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Percentiles of one latency histogram, in milliseconds; all zero when nothing was recorded. */
public record LatencySummary(long count, double p50, double p90, double p99, double p999, double max) {
  /** From a histogram recorded in microseconds. */
  static LatencySummary ofMicros(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
        ms(micros.getValueAtPercentile(90)), ms(micros.getValueAtPercentile(99)),
        ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()));
  }

  /** The same figures minus a fixed delay (the configured one), so what is left is the system's own time. */
  public LatencySummary minus(double delayMs) {
    if (count == 0) {
      return this;
    }
    return new LatencySummary(count, round(p50 - delayMs), round(p90 - delayMs), round(p99 - delayMs),
        round(p999 - delayMs), round(max - delayMs));
  }

  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("count", count);
    map.put("p50", p50);
    map.put("p90", p90);
    map.put("p99", p99);
    map.put("p999", p999);
    map.put("max", max);
    return map;
  }

  private static double ms(long micros) {
    return round(micros / 1000.0);
  }

  private static double round(double ms) {
    return Math.round(ms * 10) / 10.0;
  }
}
