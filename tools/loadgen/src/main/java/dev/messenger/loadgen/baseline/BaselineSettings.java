package dev.messenger.loadgen.baseline;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How each part is measured: a warm-up (the JIT and the CQL store change figures several-fold in the first
 * seconds), then a measured throughput phase with requests pipelined, then an open-loop latency phase at a
 * fixed, moderate rate.
 *
 * @param messageBytes payload size of every message or row body
 * @param warmup unmeasured time before each phase
 * @param duration measured time of each phase
 * @param concurrency requests in flight during the CQL throughput phase
 * @param window messages in flight on the gRPC echo stream during its throughput phase
 * @param latencyRate requests per second of the latency phases
 * @param lwtLatencyRate requests per second of the conditional-insert latency phase (LWTs are several times
 *     dearer, so a rate that is moderate for plain inserts would queue them)
 */
public record BaselineSettings(
    int messageBytes, Duration warmup, Duration duration, int concurrency, int window, double latencyRate,
    double lwtLatencyRate) {

  public BaselineSettings {
    if (messageBytes < 1 || concurrency < 1 || window < 1 || latencyRate <= 0 || lwtLatencyRate <= 0) {
      throw new IllegalArgumentException("message size, concurrency, window and latency rate must be positive");
    }
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("message_bytes", messageBytes);
    map.put("warmup_s", warmup.toMillis() / 1000.0);
    map.put("duration_s", duration.toMillis() / 1000.0);
    map.put("cql_concurrency", concurrency);
    map.put("grpc_window", window);
    map.put("latency_rate_per_s", latencyRate);
    map.put("lwt_latency_rate_per_s", lwtLatencyRate);
    return map;
  }
}
