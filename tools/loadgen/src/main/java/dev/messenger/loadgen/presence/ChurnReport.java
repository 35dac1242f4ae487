package dev.messenger.loadgen.presence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON report and the terminal summary of a churn run. */
public final class ChurnReport {
  private ChurnReport() {}

  /** The report as nested maps, in the order written. */
  public static Map<String, Object> toJson(ChurnResult r) {
    ChurnTally t = r.tally();
    ChurnSettings s = r.settings();
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> scenario = s.toMap();
    scenario.put("target", r.target().targets());
    scenario.put("discovery", r.target().useDiscovery());
    root.put("scenario", scenario);

    root.put("transitions", t.transitions());
    Map<String, Object> transitions = new LinkedHashMap<>();
    transitions.put("per_s", round(t.transitionsPerSecond()));
    transitions.put("window_s", round(t.windowSeconds()));
    transitions.put("connects", t.connects());
    transitions.put("disconnects", t.disconnects());
    transitions.put("blip_disconnects", t.blipDisconnects());
    transitions.put("blip_reconnects", t.blipReconnects());
    transitions.put("visible", t.connects() + t.disconnects());
    transitions.put("skipped_arrivals", r.skippedArrivals());
    transitions.put("max_schedule_lag_ms", round(r.maxScheduleLagMs()));
    transitions.put("max_blip_gap_ms", round(t.maxBlipGapMs()));
    transitions.put("blip_overruns", t.blipOverruns());
    transitions.put("retired_churners", t.retired());
    root.put("transition_counts", transitions);

    Map<String, Object> notifications = new LinkedHashMap<>();
    notifications.put("expected", t.expected());
    notifications.put("received", t.received());
    notifications.put("missing", t.missing());
    notifications.put("unexpected", t.unexpected());
    notifications.put("watch_answers", t.answers());
    notifications.put("watch_answers_missing", r.answersMissing());
    notifications.put("of_transitions_outside_window", t.outsideWindow());
    notifications.put("ignored", t.ignored());
    notifications.put("early", t.early());
    notifications.put("in_window", t.windowFrames());
    notifications.put("total", t.frames());
    root.put("notifications", notifications);
    root.put("fanout_per_s", round(t.fanoutPerSecond()));
    root.put("expected_fanout_per_s", round(t.windowSeconds() > 0 ? t.expected() / t.windowSeconds() : 0));

    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("online", t.online().toMap());
    latency.put("offline", t.offline().toMap());
    latency.put("measured_from", "online: the churning user's stream CONNECTED (Welcome); offline: close() returned");
    root.put("latency_ms", latency);
    Map<String, Object> net = new LinkedHashMap<>();
    net.put("online", t.onlineBeyondDelay().toMap());
    net.put("offline", t.offlineBeyondGrace().toMap());
    net.put("online_minus_ms", s.onlineDelay().toMillis());
    net.put("offline_minus_ms", s.grace().toMillis());
    root.put("latency_minus_configured_delay_ms", net);

    root.put("errors", r.errors());
    root.put("unexpected_samples", t.unexpectedSamples());
    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put("passed", t.passed());
    checks.put("failures", failures(r));
    root.put("checks", checks);
    return root;
  }

  /** What makes the run fail: missing or unexpected notifications. */
  static List<String> failures(ChurnResult r) {
    List<String> failures = new ArrayList<>();
    ChurnTally t = r.tally();
    if (t.missing() > 0) {
      failures.add(t.missing() + " expected notifications missing");
    }
    if (t.unexpected() > 0) {
      failures.add(t.unexpected() + " unexpected notifications"
          + (t.blipOverruns() > 0 ? " (" + t.blipOverruns() + " blips came back too late to be invisible)" : ""));
    }
    return failures;
  }

  /** The summary for the terminal. */
  public static String summary(ChurnResult r) {
    ChurnTally t = r.tally();
    ChurnSettings s = r.settings();
    StringBuilder out = new StringBuilder();
    line(out, "presence churn %s against %s: %,d watchers x %,d watches of %,d churning users, %.1f transitions/s "
        + "(%s), warm-up %s, measured %s", s.prefix(), r.target().targets(), s.watchers(), s.watchesPerWatcher(),
        s.churners(), s.rate(), s.arrivals().label(), seconds(s.warmup().toMillis()), seconds(s.duration().toMillis()));
    line(out, "transitions    %,d in %.1f s (%.1f/s): %,d connects, %,d disconnects, %,d blips (+%,d reconnects); "
        + "skipped arrivals %,d", t.transitions(), t.windowSeconds(), t.transitionsPerSecond(), t.connects(),
        t.disconnects(), t.blipDisconnects(), t.blipReconnects(), r.skippedArrivals());
    line(out, "notifications  expected %,d  received %,d  missing %,d  unexpected %,d  (watch answers %,d, of "
        + "transitions outside the window %,d)", t.expected(), t.received(), t.missing(), t.unexpected(), t.answers(),
        t.outsideWindow());
    line(out, "fan-out        %.1f presence notifications/s to watchers (%.1f/s expected)", t.fanoutPerSecond(),
        t.windowSeconds() > 0 ? t.expected() / t.windowSeconds() : 0);
    latency(out, "ONLINE ", t.online(), t.onlineBeyondDelay(), "online delay", s.onlineDelay().toMillis());
    latency(out, "OFFLINE", t.offline(), t.offlineBeyondGrace(), "grace", s.grace().toMillis());
    line(out, "blips          longest %.0f ms (grace %,d ms), came back too late: %,d", t.maxBlipGapMs(),
        s.grace().toMillis(), t.blipOverruns());
    boolean quiet = r.errorCount() == 0 && r.errors().getOrDefault("stream_errors", 0L) == 0;
    line(out, "errors         %,d%s", r.errorCount(), quiet ? "" : " " + r.errors());
    if (t.early() > 0) {
      line(out, "note           %,d notifications came sooner than the configured delays allow: are "
          + "--expected-online-delay and --expected-grace those of the deployment?", t.early());
    }
    t.unexpectedSamples().forEach(sample -> line(out, "unexpected     %s", sample));
    List<String> failures = failures(r);
    line(out, "result         %s", failures.isEmpty() ? "PASSED (nothing missing, nothing unexpected)"
        : "FAILED: " + String.join("; ", failures));
    return out.toString();
  }

  private static void latency(StringBuilder out, String label, LatencySummary l, LatencySummary net, String what,
      long delayMs) {
    line(out, "latency %s p50 %,.1f  p90 %,.1f  p99 %,.1f  p99.9 %,.1f  max %,.1f ms  (n=%,d)", label, l.p50(),
        l.p90(), l.p99(), l.p999(), l.max(), l.count());
    line(out, "  minus %s %,d ms: p50 %,.1f  p90 %,.1f  p99 %,.1f  p99.9 %,.1f  max %,.1f ms", what, delayMs,
        net.p50(), net.p90(), net.p99(), net.p999(), net.max());
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
