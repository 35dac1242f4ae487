package dev.messenger.loadgen.report;

import dev.messenger.loadgen.run.SecondSample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * How hard reconnects came at once (a server drained or killed, a rolling restart): the busiest second of
 * reconnects and of ended catch-ups, from the per-second series.
 */
public final class ReconnectStorm {
  private ReconnectStorm() {}

  /** For report.json's "connections": totals over the series and each peak with its second. */
  public static Map<String, Object> of(List<SecondSample> series) {
    Map<String, Object> storm = new LinkedHashMap<>();
    peak(storm, "reconnects", series, SecondSample::reconnects);
    peak(storm, "catch_ups", series, SecondSample::catchUps);
    return storm;
  }

  private static void peak(Map<String, Object> into, String name, List<SecondSample> series,
      ToLongFunction<SecondSample> value) {
    long total = 0;
    long peak = 0;
    int at = 0;
    for (SecondSample sample : series) {
      long v = value.applyAsLong(sample);
      total += v;
      if (v > peak) {
        peak = v;
        at = sample.second();
      }
    }
    into.put(name + "_in_series", total);
    into.put("peak_" + name + "_per_s", peak);
    into.put("peak_" + name + "_at_s", at);
  }
}
