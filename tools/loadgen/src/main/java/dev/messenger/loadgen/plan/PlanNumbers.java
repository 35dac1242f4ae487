package dev.messenger.loadgen.plan;

import java.util.Locale;

/** How the plans print numbers, so that every plan reads alike. */
final class PlanNumbers {
  private PlanNumbers() {}

  /** Readable numbers: 1,234,567 / 12.3 / 0.123. */
  static String n(double v) {
    if (!Double.isFinite(v)) {
      return "unbounded (no measured figure)";
    }
    if (Math.abs(v) >= 100 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return Math.abs(v) >= 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
  }

  /** CPU-seconds per second to a thousandth, as budgets differ by a few hundredths: 1.054, 0.370. */
  static String cores(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : n(v);
  }

  /** A relative error as a signed percentage: +22.4%, -7.0%. */
  static String percent(double error) {
    return (error >= 0 ? "+" : "") + n(error * 100) + "%";
  }
}
