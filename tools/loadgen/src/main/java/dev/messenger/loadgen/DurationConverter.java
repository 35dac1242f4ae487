package dev.messenger.loadgen;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Durations on the command line: "60s", "500ms", "1.5s", "2m", "1h", a bare number of seconds, or ISO-8601. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("p")) {
        return Duration.parse(value.trim());
      }
      if (v.endsWith("ms")) {
        return millis(v.substring(0, v.length() - 2), 1);
      }
      if (v.endsWith("s")) {
        return millis(v.substring(0, v.length() - 1), 1_000);
      }
      if (v.endsWith("m")) {
        return millis(v.substring(0, v.length() - 1), 60_000);
      }
      if (v.endsWith("h")) {
        return millis(v.substring(0, v.length() - 1), 3_600_000);
      }
      return millis(v, 1_000);
    } catch (RuntimeException e) {
      throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (use e.g. 60s, 500ms, 2m)");
    }
  }

  private static Duration millis(String number, long unitMillis) {
    double amount = Double.parseDouble(number);
    if (amount < 0 || Double.isNaN(amount)) {
      throw new IllegalArgumentException("negative");
    }
    return Duration.ofMillis(Math.round(amount * unitMillis));
  }
}
