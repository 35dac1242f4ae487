package dev.messenger.loadgen.run;

import java.util.Map;

/**
 * Measures something on the server side over the measurement window (after warm-up, until the last send),
 * e.g. the services' own metrics, to show where the time of the message path goes.
 */
public interface WindowProbe {
  void windowStarts();

  /** Returns what goes into report.json's {@code server_metrics}. */
  Map<String, Object> windowEnds();

  /** Both probes over the same window; their results side by side (their keys must differ). */
  static WindowProbe both(WindowProbe first, WindowProbe second) {
    return new WindowProbe() {
      @Override
      public void windowStarts() {
        first.windowStarts();
        second.windowStarts();
      }

      @Override
      public Map<String, Object> windowEnds() {
        Map<String, Object> all = new java.util.LinkedHashMap<>(first.windowEnds());
        all.putAll(second.windowEnds());
        return all;
      }
    };
  }

  WindowProbe NONE = new WindowProbe() {
    @Override
    public void windowStarts() {}

    @Override
    public Map<String, Object> windowEnds() {
      return Map.of();
    }
  };
}
