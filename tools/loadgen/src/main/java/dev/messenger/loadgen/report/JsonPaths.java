package dev.messenger.loadgen.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads values out of parsed JSON by dotted paths such as {@code "latency_ms.delivery.p99"}. */
public final class JsonPaths {
  private JsonPaths() {}

  /** The value at {@code path}, empty when any step is missing. */
  public static Optional<Object> find(Map<String, Object> root, String path) {
    Object current = root;
    for (String step : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(step)) {
        return Optional.empty();
      }
      current = map.get(step);
    }
    return Optional.ofNullable(current);
  }

  /** The number at {@code path}; IllegalArgumentException naming the path when it is missing. */
  public static double number(Map<String, Object> root, String path) {
    return numberOr(root, path).orElseThrow(() -> new IllegalArgumentException("the report has no number at " + path));
  }

  public static Optional<Double> numberOr(Map<String, Object> root, String path) {
    return find(root, path).filter(Number.class::isInstance).map(v -> ((Number) v).doubleValue());
  }

  public static long longValue(Map<String, Object> root, String path) {
    return Math.round(number(root, path));
  }

  public static String string(Map<String, Object> root, String path, String fallback) {
    return find(root, path).map(String::valueOf).orElse(fallback);
  }

  /** The object at {@code path}; an empty map when missing. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Map<String, Object> root, String path) {
    return find(root, path).filter(Map.class::isInstance).map(v -> (Map<String, Object>) v).orElse(Map.of());
  }

  /** The array at {@code path}; an empty list when missing. */
  @SuppressWarnings("unchecked")
  public static List<Object> list(Map<String, Object> root, String path) {
    return find(root, path).filter(List.class::isInstance).map(v -> (List<Object>) v).orElse(List.of());
  }
}
