package dev.messenger.loadgen.run;

import dev.messenger.api.v1.StreamError;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Errors the clients saw, by gRPC status code (e.g. UNAVAILABLE) and by code/reason
 * (e.g. RESOURCE_EXHAUSTED/RATE_LIMITED). Client-side conditions have reasons starting with CLIENT_.
 */
public final class ErrorCounts {
  private final Map<String, LongAdder> byCode = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();

  public void record(StreamError error) {
    record(error.getCode().isEmpty() ? "UNKNOWN" : error.getCode(), error.getReason());
  }

  public void record(String code, String reason) {
    byCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    byReason.computeIfAbsent(reason.isEmpty() ? code : code + "/" + reason, c -> new LongAdder()).increment();
    total.increment();
  }

  public long total() {
    return total.sum();
  }

  /** Status code name to count, sorted. */
  public Map<String, Object> byCode() {
    return snapshot(byCode);
  }

  /** "CODE/REASON" to count, sorted. */
  public Map<String, Object> byReason() {
    return snapshot(byReason);
  }

  private static Map<String, Object> snapshot(Map<String, LongAdder> counts) {
    Map<String, Object> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
