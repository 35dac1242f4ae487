package dev.messenger.loadgen.plan;

import dev.messenger.loadgen.report.JsonPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * When a run came back from its own start: a fresh population's first seconds of sending, when sends were
 * refused and retried and deliveries queued. The run has settled from the first of {@link #SETTLED_SECONDS}
 * seconds in a row (seconds that delivered nothing left out) with per-second delivery p99 within
 * {@link #SETTLED_FACTOR} x the bound. A run whose measured window began before that counts part of its start in
 * its p99: session 30's three-node cluster took 9 to 42 s to settle at 120 to 250 msg/s, and the 15 s warm-up
 * it was measured with then charged the start to the rate.
 *
 * @param p99BySecond the per-second delivery p99 of the warm-up and the window, second 1 first (ms); NaN for a
 *     second that delivered nothing
 * @param windowStart the index in {@code p99BySecond} of the window's first second; -1 when the report has no
 *     per-second series
 */
public record StartBacklog(List<Double> p99BySecond, int windowStart) {
  static final double SETTLED_FACTOR = 2;
  static final int SETTLED_SECONDS = 5;
  static final StartBacklog UNKNOWN = new StartBacklog(List.of(), -1);

  public StartBacklog {
    p99BySecond = List.copyOf(p99BySecond);
    if (windowStart < -1 || windowStart >= Math.max(p99BySecond.size(), 1)) {
      throw new IllegalArgumentException("window start " + windowStart + " outside " + p99BySecond.size()
          + " seconds");
    }
  }

  /** From a run report's {@code series}, placed by each second's {@code t}; {@link #UNKNOWN} without one. */
  public static StartBacklog of(Map<String, Object> report) {
    List<Double> p99s = new ArrayList<>();
    int windowStart = -1;
    for (Object entry : JsonPaths.list(report, "series")) {
      if (!(entry instanceof Map<?, ?> second) || !(second.get("t") instanceof Number t)
          || !(second.get("delivery_p99_ms") instanceof Number p99)) {
        continue;
      }
      Object phase = second.get("phase");
      if (t.intValue() < 1 || !("warmup".equals(phase) || "measure".equals(phase))) {
        continue;
      }
      while (p99s.size() < t.intValue()) {
        p99s.add(Double.NaN);
      }
      boolean delivered = !(second.get("delivered") instanceof Number count) || count.longValue() > 0;
      p99s.set(t.intValue() - 1, delivered ? p99.doubleValue() : Double.NaN);
      if ("measure".equals(phase) && (windowStart < 0 || t.intValue() - 1 < windowStart)) {
        windowStart = t.intValue() - 1;
      }
    }
    return windowStart < 0 ? UNKNOWN : new StartBacklog(p99s, windowStart);
  }

  /** The second of the run (from 1) it settled at; empty when it never did or the report had no series. */
  public OptionalInt settledAt(double p99BoundMillis) {
    double limit = SETTLED_FACTOR * p99BoundMillis;
    int calm = 0;
    int firstCalm = -1;
    for (int i = 0; i < p99BySecond.size(); i++) {
      double p99 = p99BySecond.get(i);
      if (Double.isNaN(p99)) {
        continue;
      }
      if (p99 > limit) {
        calm = 0;
        continue;
      }
      if (calm++ == 0) {
        firstCalm = i;
      }
      if (calm == SETTLED_SECONDS) {
        return OptionalInt.of(firstCalm + 1);
      }
    }
    return OptionalInt.empty();
  }

  /** Whether the measured window began before the run settled, or it never did. */
  public boolean spillsIntoWindow(double p99BoundMillis) {
    if (windowStart < 0) {
      return false;
    }
    OptionalInt settled = settledAt(p99BoundMillis);
    return settled.isEmpty() || settled.getAsInt() > windowStart + 1;
  }

  /** What the window took in, for a warning: "settled only at second 23; its window began at second 16". */
  public String describe(double p99BoundMillis) {
    OptionalInt settled = settledAt(p99BoundMillis);
    return (settled.isPresent() ? "settled only at second " + settled.getAsInt() : "never settled")
        + " (per-second delivery p99 within " + PlanNumbers.n(SETTLED_FACTOR * p99BoundMillis) + " ms for "
        + SETTLED_SECONDS + " s in a row); its measured window began at second " + (windowStart + 1);
  }
}
