package dev.messenger.loadgen.chaos;

import dev.messenger.loadgen.report.JsonPaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the fault table, read from the run's report: what the promises say (lost, duplicated, out of
 * order, unanswered: all must be 0; and History, read back after the run, holding every acknowledged message
 * once at its place: {@code historyBroken} 0), the sends that failed and with which status, how long until
 * every device was connected and deliveries were back at their steady rate, and the delivery p99 from the
 * fault on.
 */
public record FaultOutcome(String fault, long lost, long duplicated, long outOfOrder, long unanswered,
    long failedSends, Map<String, Object> errorsByCode, int recoverySeconds, double deliveryP99Ms,
    double deliveryMaxMs, String controlError, long historyBroken, Map<String, Object> history) {

  /** Seconds in a row a recovered state must last. */
  static final int STEADY_SECONDS = 3;
  /** Deliveries per second, as a share of the steady rate before the fault, that count as delivering again. */
  static final double RECOVERED_SHARE = 0.9;

  public boolean promisesHeld() {
    return lost == 0 && duplicated == 0 && outOfOrder == 0 && unanswered == 0 && controlError == null
        && historyBroken == 0;
  }

  public static FaultOutcome of(String fault, Map<String, Object> report) {
    // The fault window's answer is recorded with the server's figures over the measured window.
    Map<String, Object> chaos = JsonPaths.object(report, "server.metrics_over_window.chaos");
    Object controlError = chaos.containsKey("control") ? chaos.get("control_error")
        : chaos.getOrDefault("control_error", "no answer of the control port recorded: the fault was not done");
    return new FaultOutcome(fault, JsonPaths.longValue(report, "messages.lost"),
        JsonPaths.longValue(report, "messages.duplicated"), JsonPaths.longValue(report, "messages.out_of_order"),
        JsonPaths.longValue(report, "messages.unresolved"), JsonPaths.longValue(report, "messages.failed"),
        JsonPaths.object(report, "errors"), recoverySeconds(series(report), deliveriesPerSend(report)),
        JsonPaths.numberOr(report, "latency_ms.delivery.p99").orElse(0.0),
        JsonPaths.numberOr(report, "latency_ms.delivery.max").orElse(0.0),
        controlError == null ? null : String.valueOf(controlError), historyBroken(report),
        report.get("history_check") instanceof Map<?, ?> ? JsonPaths.object(report, "history_check") : Map.of());
  }

  /** What the History read-back found wrong; a run without one proves nothing about the store. */
  private static long historyBroken(Map<String, Object> report) {
    if (!(report.get("history_check") instanceof Map<?, ?>)) {
      return 1;
    }
    if (JsonPaths.object(report, "history_check").get("error") != null) {
      return 1;
    }
    long broken = 0;
    for (String kind : new String[] {"missing", "duplicated", "misplaced", "gaps"}) {
      broken += JsonPaths.longValue(report, "history_check." + kind);
    }
    return broken;
  }

  /**
   * Deliveries each acknowledged message calls for in this run (its members' other devices), or 0 if unknown;
   * expected deliveries count acknowledged messages only.
   */
  static double deliveriesPerSend(Map<String, Object> report) {
    double acked = JsonPaths.numberOr(report, "messages.acked").orElse(0.0);
    return acked > 0 ? JsonPaths.numberOr(report, "messages.expected_deliveries").orElse(0.0) / acked : 0;
  }

  static int recoverySeconds(List<Map<String, Object>> series) {
    return recoverySeconds(series, 0);
  }

  /**
   * Seconds from the fault (the first measured second) until deliveries are back at 90% of the steady
   * rate with as many live streams as before, for 3 seconds in a row; -1 when that never happened while
   * sending. The steady rate is the median of the warm-up's second half, but no more than what its sends
   * called for ({@code deliveriesPerSend} times the median sent a second, when known): a short warm-up that
   * still delivered a start-up backlog would otherwise set a rate the steady load never reaches.
   */
  static int recoverySeconds(List<Map<String, Object>> series, double deliveriesPerSend) {
    List<Double> before = new ArrayList<>();
    List<Double> sentBefore = new ArrayList<>();
    int liveBefore = 0;
    int faultIndex = -1;
    for (int i = 0; i < series.size(); i++) {
      Map<String, Object> second = series.get(i);
      String phase = String.valueOf(second.get("phase"));
      if (phase.equals("warmup")) {
        before.add(number(second, "delivered"));
        sentBefore.add(number(second, "sent"));
        liveBefore = (int) number(second, "live_streams");
      } else if (phase.equals("measure") && faultIndex < 0) {
        faultIndex = i;
      }
    }
    if (faultIndex < 0 || before.isEmpty()) {
      return -1;
    }
    double steady = medianOfSecondHalf(before);
    double sentSteady = medianOfSecondHalf(sentBefore);
    if (deliveriesPerSend > 0 && sentSteady > 0) {
      steady = Math.min(steady, deliveriesPerSend * sentSteady);
    }
    int inARow = 0;
    for (int i = faultIndex; i < series.size(); i++) {
      Map<String, Object> second = series.get(i);
      if (!"measure".equals(second.get("phase"))) {
        break;
      }
      boolean recovered = number(second, "delivered") >= RECOVERED_SHARE * steady
          && number(second, "live_streams") >= liveBefore;
      inARow = recovered ? inARow + 1 : 0;
      if (inARow == STEADY_SECONDS) {
        return i - STEADY_SECONDS + 1 - faultIndex;
      }
    }
    return -1;
  }

  private static double medianOfSecondHalf(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values.subList(values.size() / 2, values.size()));
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> series(Map<String, Object> report) {
    List<Map<String, Object>> series = new ArrayList<>();
    for (Object second : JsonPaths.list(report, "series")) {
      series.add((Map<String, Object>) second);
    }
    return series;
  }

  private static double number(Map<String, Object> map, String key) {
    return map.get(key) instanceof Number n ? n.doubleValue() : 0;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("fault", fault);
    map.put("lost", lost);
    map.put("duplicated", duplicated);
    map.put("out_of_order", outOfOrder);
    map.put("unanswered", unanswered);
    map.put("failed_sends", failedSends);
    map.put("errors_by_code", errorsByCode);
    map.put("recovery_s", recoverySeconds);
    map.put("delivery_p99_ms", deliveryP99Ms);
    map.put("delivery_max_ms", deliveryMaxMs);
    if (controlError != null) {
      map.put("control_error", controlError);
    }
    map.put("history", history);
    map.put("promises_held", promisesHeld());
    return map;
  }

  /** A line of the terminal table. */
  public String row() {
    return String.format(java.util.Locale.ROOT, "%-18s %5d %5d %6d %5d %7d %7s %9s %10.1f  %s%s", fault, lost,
        duplicated, outOfOrder, unanswered, failedSends, historyBroken == 0 ? "ok" : historyBroken + " bad",
        recoverySeconds < 0 ? "never" : recoverySeconds + " s", deliveryP99Ms,
        errorsByCode.isEmpty() ? "-" : errorsByCode, controlError == null ? "" : "  (control: " + controlError + ")");
  }

  public static String header() {
    return String.format(java.util.Locale.ROOT, "%-18s %5s %5s %6s %5s %7s %7s %9s %10s  %s", "fault", "lost",
        "dup", "order", "unans", "failed", "history", "recovery", "p99 ms", "errors seen by clients");
  }
}
