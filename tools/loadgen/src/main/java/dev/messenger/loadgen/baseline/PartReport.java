package dev.messenger.loadgen.baseline;

import dev.messenger.loadgen.report.Histograms;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** One part of baseline.json, shaped like a run report: scenario, throughput, latency_ms, errors. */
final class PartReport {
  private final Map<String, Object> scenario = new LinkedHashMap<>();
  private final Map<String, Object> throughput = new LinkedHashMap<>();
  private final Map<String, Object> latency = new LinkedHashMap<>();
  private final Map<String, Object> errors = new LinkedHashMap<>();

  PartReport scenario(String key, Object value) {
    scenario.put(key, value);
    return this;
  }

  PartReport throughput(String key, double value) {
    throughput.put(key, Math.round(value * 10) / 10.0);
    return this;
  }

  PartReport latency(String name, Histogram micros) {
    latency.put(name, Histograms.summaryMillis(micros));
    return this;
  }

  PartReport error(String kind, long count) {
    if (count > 0) {
      errors.put(kind, count);
    }
    return this;
  }

  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("scenario", scenario);
    map.put("throughput", throughput);
    map.put("latency_ms", latency);
    map.put("errors", errors);
    return map;
  }
}
