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

  WindowProbe NONE = new WindowProbe() {
    @Override
    public void windowStarts() {}

    @Override
    public Map<String, Object> windowEnds() {
      return Map.of();
    }
  };
}
