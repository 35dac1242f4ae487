package dev.messenger.loadgen.report;

import dev.messenger.loadgen.run.DeliveryKinds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human summary of a run report, for the terminal. */
public final class SummaryText {
  /** Processes that used at least this share of the window's CPU get a line of their busiest thread groups. */
  private static final double BUSY_PROCESS_SHARE = 0.2;

  private SummaryText() {}

  public static String of(Map<String, Object> r) {
    StringBuilder out = new StringBuilder();
    Map<String, Object> s = JsonPaths.object(r, "scenario");
    out.append(String.format(Locale.ROOT,
        "run %s: %,d users x %d device(s), 1:1 with %d contact(s), %s msg/s per user (%,.1f/s offered), "
            + "%d-char messages, %s s measured after %s s warm-up%n",
        JsonPaths.string(r, "run_id", "?"), l(s, "users"), l(s, "devices_per_user"), l(s, "contacts_per_user"),
        trim(d(s, "rate_per_user")), d(s, "total_rate"), l(s, "message_bytes"), trim(d(s, "duration_s")),
        trim(d(s, "warmup_s"))));
    Map<String, Object> c = JsonPaths.object(r, "connections");
    out.append(String.format(Locale.ROOT,
        "streams      %,d of %,d devices connected; %,d streams opened, %,d failed, peak %,d live; "
            + "%,d TCP connection(s), %d stream(s) each; ramp %s s%n",
        l(c, "devices_connected"), l(c, "devices"), l(c, "opened"), l(c, "failed"), l(c, "peak"),
        l(c, "tcp_connections"), l(c, "streams_per_connection"), trim(d(c, "ramp_s"))));
    if (l(c, "reconnects_in_series") > 0) {
      out.append(String.format(Locale.ROOT,
          "reconnects   %,d while sending, peak %,d/s at %d s; catch-ups after them peak %,d/s at %d s%n",
          l(c, "reconnects_in_series"), l(c, "peak_reconnects_per_s"), l(c, "peak_reconnects_at_s"),
          l(c, "peak_catch_ups_per_s"), l(c, "peak_catch_ups_at_s")));
    }
    Map<String, Object> m = JsonPaths.object(r, "messages");
    out.append(String.format(Locale.ROOT,
        "messages     sent %,d  acked %,d  failed %,d  not sent %,d  unanswered %,d%n",
        l(m, "sent"), l(m, "acked"), l(m, "failed"), l(m, "not_sent"), l(m, "unresolved")));
    out.append(String.format(Locale.ROOT,
        "deliveries   %,d delivered of %,d expected  lost %,d (%,d messages)  duplicated %,d  out of order %,d%n",
        l(m, "delivered_of_acked"), l(m, "expected_deliveries"), l(m, "lost"), l(m, "lost_messages"),
        l(m, "duplicated"), l(m, "out_of_order")));
    if (l(m, "lost_at_drain_end") > 0) {
      out.append(String.format(Locale.ROOT,
          "             missing when the drain ended %,d: %,d arrived late (after the drain); of those never "
              + "arrived, %,d at devices that got nothing later in that conversation%n",
          l(m, "lost_at_drain_end"), l(m, "late_after_drain"), l(m, "lost_behind")));
    }
    Map<String, Object> t = JsonPaths.object(r, "throughput");
    out.append(String.format(Locale.ROOT, "throughput   sent %,.1f/s  acked %,.1f/s  delivered %,.1f/s (window %s s)%n",
        d(t, "sent_per_s"), d(t, "acked_per_s"), d(t, "delivered_per_s"), trim(d(t, "window_s"))));
    out.append(String.format(Locale.ROOT, "latency ms   %10s %8s %8s %8s %8s %8s%n", "p50", "p90", "p99", "p99.9",
        "max", "count"));
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("ack", "send>ack");
    rows.put("delivery", "send>deliv");
    rows.put(DeliveryKinds.DIRECT, " of 1:1");
    rows.put(DeliveryKinds.GROUP, " of group");
    rows.put(DeliveryKinds.GROUP_LAST_MEMBER, " group>last");
    rows.put(DeliveryKinds.FIRST_ATTEMPT, " 1st try");
    rows.put(DeliveryKinds.FROM_ACCEPTED_ATTEMPT, " accepted");
    boolean mixed = JsonPaths.object(r, "latency_ms").containsKey(DeliveryKinds.GROUP);
    boolean refusals = l(JsonPaths.object(r, "latency_ms." + DeliveryKinds.FIRST_ATTEMPT), "count")
        != l(JsonPaths.object(r, "latency_ms.delivery"), "count");
    rows.forEach((kind, label) -> {
      Map<String, Object> h = JsonPaths.object(r, "latency_ms." + kind);
      if (h.isEmpty() || (kind.equals(DeliveryKinds.DIRECT) && !mixed)
          || ((kind.equals(DeliveryKinds.FIRST_ATTEMPT) || kind.equals(DeliveryKinds.FROM_ACCEPTED_ATTEMPT))
              && !refusals)) {
        return;
      }
      out.append(String.format(Locale.ROOT, "  %-10s %10.2f %8.2f %8.2f %8.2f %8.2f %8d%n",
          label, d(h, "p50"), d(h, "p90"), d(h, "p99"), d(h, "p999"), d(h, "max"), l(h, "count")));
    });
    Map<String, Object> errors = JsonPaths.object(r, "errors");
    out.append("errors       ").append(errors.isEmpty() ? "none" : errors.toString()).append('\n');
    Map<String, Object> b = JsonPaths.object(r, "baseline_fraction");
    if (!b.isEmpty()) {
      out.append(String.format(Locale.ROOT,
          "vs baseline  acked/s = %.1f%% of the CQL bound (%,.0f msg/s = %,.0f inserts/s / %d rows), "
              + "%.1f%% of the LWT-aware bound (%,.0f msg/s), %.2f%% of the NATS bound%n",
          100 * d(b, "acked_fraction_of_cql_bound"), d(b, "cql_bound_messages_per_s"), d(b, "cql_inserts_per_s"),
          l(b, "rows_per_message"), 100 * d(b, "acked_fraction_of_cql_lwt_aware_bound"),
          d(b, "cql_lwt_aware_bound_messages_per_s"), 100 * d(b, "acked_fraction_of_nats_bound")));
    }
    Map<String, Object> process = JsonPaths.object(r, "loadgen_process");
    if (process.containsKey("cpu_s_while_sending")) {
      out.append(String.format(Locale.ROOT, "loadgen      %.1f CPU-s while sending (%.0f%% of this machine), heap %,d MiB of %,d%n",
          d(process, "cpu_s_while_sending"), 100 * d(process, "share_of_machine_while_sending"),
          l(process, "heap_used_mib"), l(process, "max_heap_mib")));
      if (process.containsKey("pacer_lag_p99_ms")) {
        out.append(String.format(Locale.ROOT,
            "loadgen lag  sends of the window fired late by p50 %.2f ms, p99 %.2f ms (counted in the latencies above)%n",
            d(process, "pacer_lag_p50_ms"), d(process, "pacer_lag_p99_ms")));
      }
    }
    Map<String, Object> server = new java.util.LinkedHashMap<>(JsonPaths.object(r, "server"));
    Map<String, Object> metrics = JsonPaths.object(server, "metrics_over_window");
    server.remove("metrics_over_window");
    server.remove("method");
    if (!server.isEmpty()) {
      out.append("server       ").append(server).append('\n');
    }
    metrics.forEach((endpoint, value) -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> durations = JsonPaths.object((Map<String, Object>) value, "durations");
      if (!durations.isEmpty()) {
        out.append("server time  ").append(endpoint).append(" (mean over the window)\n");
        durations.forEach((name, h) -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> hist = (Map<String, Object>) h;
          out.append(String.format(Locale.ROOT, "    %9.2f ms  x %,8d  %s%n", d(hist, "mean_ms"), l(hist, "count"),
              name));
        });
      }
    });
    Map<String, Object> cpu = JsonPaths.object(metrics, "process_cpu");
    long acked = l(JsonPaths.object(r, "throughput"), "acked_in_window");
    if (!cpu.isEmpty()) {
      out.append(String.format(Locale.ROOT, "server CPU   %.1f CPU-s over the %s s window, %.2f ms per acknowledged message %s%n",
          d(cpu, "total_cpu_s"), trim(d(cpu, "window_s")), acked == 0 ? 0.0 : d(cpu, "total_cpu_s") * 1000 / acked,
          JsonPaths.object(cpu, "cpu_s")));
      if (d(cpu, "total_jit_cpu_s") + d(cpu, "total_gc_cpu_s") > 0) {
        out.append(String.format(Locale.ROOT, "  of which    JIT compilers %.1f CPU-s %s, garbage collector %.1f CPU-s %s%n",
            d(cpu, "total_jit_cpu_s"), JsonPaths.object(cpu, "jit_cpu_s"), d(cpu, "total_gc_cpu_s"),
            JsonPaths.object(cpu, "gc_cpu_s")));
      }
      Map<String, Object> byCpu = JsonPaths.object(cpu, "cpu_s");
      JsonPaths.object(cpu, "thread_groups_cpu_s").forEach((name, groups) -> {
        Object seconds = byCpu.get(name);
        if (seconds instanceof Number n && n.doubleValue() >= BUSY_PROCESS_SHARE * d(cpu, "total_cpu_s")) {
          out.append(String.format(Locale.ROOT, "  by thread   %s %.1f CPU-s: %s%n", name, n.doubleValue(), groups));
        }
      });
    }
    Map<String, Object> scheduling = JsonPaths.object(metrics, "scheduling");
    if (!scheduling.isEmpty()) {
      out.append(String.format(Locale.ROOT, "scheduling   %,d voluntary context switches (%.1f per acknowledged message), "
          + "%,d involuntary; threads waited %.2f s for a core%n", l(scheduling, "total_voluntary_switches"),
          acked == 0 ? 0.0 : (double) l(scheduling, "total_voluntary_switches") / acked,
          l(scheduling, "total_involuntary_switches"), d(scheduling, "total_run_queue_wait_s")));
    }
    Map<String, Object> speed = JsonPaths.object(metrics, "machine_speed");
    if (!speed.isEmpty()) {
      String allCores = d(speed, "all_cores_job_cpu_us") > 0 ? String.format(Locale.ROOT,
          ", %.1f us on each of %.0f cores at once", d(speed, "all_cores_job_cpu_us"), d(speed, "all_cores_threads"))
          : "";
      out.append(String.format(Locale.ROOT, "machine      a fixed job took %.1f us of CPU before the run alone on one "
          + "core%s (medians; more is a slower machine)%n", d(speed, "before_run_job_cpu_us"), allCores));
    }
    Map<String, Object> checks = JsonPaths.object(r, "checks");
    boolean passed = Boolean.TRUE.equals(checks.get("passed"));
    out.append("checks       ").append(passed ? "PASSED (every device connected; 0 lost, 0 duplicated, 0 out of order,"
        + " every send answered)"
        : "FAILED: " + checks.get("failures")).append('\n');
    return out.toString();
  }

  /** One progress line. */
  public static String progress(String phase, int second, long sent, long acked, long delivered, long errors,
      int live, double ackP99, double deliveryP50, double deliveryP99) {
    return String.format(Locale.ROOT,
        "%-7s %4ds  live %,7d | sent %,7d/s acked %,7d/s delivered %,8d/s | ack p99 %7.1f ms | delivery p50 %6.1f"
            + " p99 %7.1f ms | errors %,d",
        phase, second, live, sent, acked, delivered, ackP99, deliveryP50, deliveryP99, errors);
  }

  private static long l(Map<String, Object> m, String key) {
    return m.get(key) instanceof Number n ? n.longValue() : 0;
  }

  private static double d(Map<String, Object> m, String key) {
    return m.get(key) instanceof Number n ? n.doubleValue() : 0;
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
