package dev.messenger.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The picture of a run (SVG, pastes into documents and browsers): latency percentiles per second on top,
 * throughput per second below, warm-up and drain shaded, the headline figures in the title.
 */
public final class SvgChart {
  private static final int WIDTH = 960;
  private static final int LEFT = 72;
  private static final int RIGHT = 190;
  private static final int PLOT_W = WIDTH - LEFT - RIGHT;
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"};

  private SvgChart() {}

  public static String of(Map<String, Object> report) {
    List<Map<String, Object>> series = samples(report);
    StringBuilder svg = new StringBuilder();
    int height = 660;
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">%n",
        WIDTH, height, WIDTH, height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(svg, LEFT, 24, 16, "bold", title(report));
    text(svg, LEFT, 44, 12, "normal", subtitle(report));
    double seconds = Math.max(1, series.stream().mapToDouble(s -> num(s, "t")).max().orElse(1));
    List<Line> latency = List.of(
        new Line("delivery p50", "delivery_p50_ms"), new Line("delivery p99", "delivery_p99_ms"),
        new Line("ack p50", "ack_p50_ms"), new Line("ack p99", "ack_p99_ms"),
        new Line("delivery max", "delivery_max_ms"));
    panel(svg, series, seconds, latency, 70, 300, "latency (ms, from scheduled send)", true);
    List<Line> rates = List.of(new Line("sent/s", "sent"), new Line("acked/s", "acked"),
        new Line("delivered/s", "delivered"));
    panel(svg, series, seconds, rates, 400, 220, "throughput (per second)", false);
    text(svg, LEFT + PLOT_W / 2 - 60, 650, 12, "normal", "seconds since sending started");
    svg.append("</svg>\n");
    return svg.toString();
  }

  private record Line(String label, String key) {}

  private static void panel(StringBuilder svg, List<Map<String, Object>> series, double seconds, List<Line> lines,
      int top, int height, String label, boolean latency) {
    double max = 0;
    double minPositive = Double.MAX_VALUE;
    for (Map<String, Object> s : series) {
      for (Line line : lines) {
        double v = num(s, line.key());
        max = Math.max(max, v);
        if (v > 0) {
          minPositive = Math.min(minPositive, v);
        }
      }
    }
    boolean log = latency && max > 0 && minPositive < Double.MAX_VALUE && max / minPositive > 50;
    Scale y = log ? Scale.log(Math.max(0.01, minPositive), max, top, height) : Scale.linear(max, top, height);
    shadePhases(svg, series, seconds, top, height);
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
        + "stroke=\"#444\"/>%n", LEFT, top, PLOT_W, height));
    for (double tick : y.ticks()) {
      double py = y.at(tick);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
          LEFT, py, LEFT + PLOT_W, py));
      text(svg, LEFT - 6, (int) py + 4, 11, "end", format(tick));
    }
    for (double t : xTicks(seconds)) {
      double px = LEFT + t / seconds * PLOT_W;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/>%n",
          px, top + height, px, top + height + 4));
      text(svg, (int) px, top + height + 16, 11, "middle", format(t));
    }
    text(svg, LEFT, top - 8, 13, "bold", label + (log ? " - log scale" : ""));
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      StringBuilder points = new StringBuilder();
      for (Map<String, Object> s : series) {
        double v = num(s, line.key());
        if (log && v <= 0) {
          continue;
        }
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + num(s, "t") / seconds * PLOT_W, y.at(v)));
      }
      String dash = line.label().endsWith("max") ? " stroke-dasharray=\"4 3\"" : "";
      svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s "
          + "points=\"%s\"/>%n", COLORS[i % COLORS.length], dash, points.toString().trim()));
      int ly = top + 16 + i * 18;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
          + "stroke-width=\"3\"%s/>%n", LEFT + PLOT_W + 12, ly - 4, LEFT + PLOT_W + 36, ly - 4,
          COLORS[i % COLORS.length], dash));
      text(svg, LEFT + PLOT_W + 42, ly, 12, "start", line.label());
    }
  }

  private static void shadePhases(StringBuilder svg, List<Map<String, Object>> series, double seconds, int top,
      int height) {
    for (String phase : List.of("warmup", "drain")) {
      double from = Double.MAX_VALUE;
      double to = -1;
      for (Map<String, Object> s : series) {
        if (phase.equals(s.get("phase"))) {
          from = Math.min(from, num(s, "t") - 1);
          to = Math.max(to, num(s, "t"));
        }
      }
      if (to > from) {
        double x = LEFT + Math.max(0, from) / seconds * PLOT_W;
        double w = (to - Math.max(0, from)) / seconds * PLOT_W;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
            + "fill=\"%s\"/>%n", x, top, w, height, phase.equals("warmup") ? "#eeeeee" : "#f6f6f6"));
        text(svg, (int) (x + 4), top + height - 6, 10, "start", phase);
      }
    }
  }

  private static String title(Map<String, Object> r) {
    return String.format(Locale.ROOT, "messenger loadgen %s: delivery p50 %.1f ms, p99 %.1f ms, %,.0f delivered/s, "
        + "lost %d, duplicated %d, out of order %d",
        JsonPaths.string(r, "run_id", ""), JsonPaths.numberOr(r, "latency_ms.delivery.p50").orElse(0.0),
        JsonPaths.numberOr(r, "latency_ms.delivery.p99").orElse(0.0),
        JsonPaths.numberOr(r, "throughput.delivered_per_s").orElse(0.0),
        JsonPaths.numberOr(r, "messages.lost").orElse(0.0).longValue(),
        JsonPaths.numberOr(r, "messages.duplicated").orElse(0.0).longValue(),
        JsonPaths.numberOr(r, "messages.out_of_order").orElse(0.0).longValue());
  }

  private static String subtitle(Map<String, Object> r) {
    return String.format(Locale.ROOT, "%,d users x %d device(s), %s msg/s per user (%,.0f/s offered), %d-char "
        + "messages, %s s measured, %s s warm-up; started %s",
        JsonPaths.numberOr(r, "scenario.users").orElse(0.0).longValue(),
        JsonPaths.numberOr(r, "scenario.devices_per_user").orElse(0.0).longValue(),
        format(JsonPaths.numberOr(r, "scenario.rate_per_user").orElse(0.0)),
        JsonPaths.numberOr(r, "scenario.total_rate").orElse(0.0),
        JsonPaths.numberOr(r, "scenario.message_bytes").orElse(0.0).longValue(),
        format(JsonPaths.numberOr(r, "scenario.duration_s").orElse(0.0)),
        format(JsonPaths.numberOr(r, "scenario.warmup_s").orElse(0.0)),
        JsonPaths.string(r, "started_at", ""));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> samples(Map<String, Object> report) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : JsonPaths.list(report, "series")) {
      out.add((Map<String, Object>) o);
    }
    return out;
  }

  private static List<Double> xTicks(double seconds) {
    double step = niceStep(seconds / 8);
    List<Double> ticks = new ArrayList<>();
    for (double t = 0; t <= seconds + 1e-9; t += step) {
      ticks.add(t);
    }
    return ticks;
  }

  static double niceStep(double rough) {
    if (rough <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    double fraction = rough / magnitude;
    double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    return nice * magnitude;
  }

  private static void text(StringBuilder svg, int x, int y, int size, String style, String content) {
    String anchor = style.equals("end") || style.equals("middle") || style.equals("start") ? style : "start";
    String weight = style.equals("bold") ? " font-weight=\"bold\"" : "";
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"%s\"%s>%s</text>%n",
        x, y, size, anchor, weight, escape(content)));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e12) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return v < 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static double num(Map<String, Object> m, String key) {
    return m.get(key) instanceof Number n ? n.doubleValue() : 0;
  }

  /** Maps values to pixel rows, linear from 0 or logarithmic. */
  private record Scale(boolean log, double min, double max, int top, int height) {
    static Scale linear(double max, int top, int height) {
      double step = niceStep(Math.max(max, 1e-9) / 5);
      return new Scale(false, 0, Math.max(step, Math.ceil(max / step) * step), top, height);
    }

    static Scale log(double min, double max, int top, int height) {
      return new Scale(true, Math.pow(10, Math.floor(Math.log10(min))), Math.pow(10, Math.ceil(Math.log10(max))),
          top, height);
    }

    double at(double v) {
      double f = log ? (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
          : (v - min) / (max - min);
      return top + height - f * height;
    }

    List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      if (log) {
        for (double t = min; t <= max * 1.0001; t *= 10) {
          ticks.add(t);
        }
      } else {
        double step = niceStep(max / 5);
        for (double t = 0; t <= max + 1e-9; t += step) {
          ticks.add(t);
        }
      }
      return ticks;
    }
  }
}
