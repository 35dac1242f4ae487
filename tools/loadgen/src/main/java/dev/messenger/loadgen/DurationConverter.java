package dev.messenger.loadgen;

import java.time.Duration;
import picocli.CommandLine;

/** Durations on the command line: "60s", "500ms", "2m", "1h" or ISO-8601 ("PT60S"). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (v.startsWith("p")) {
        return Duration.parse(value.trim());
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      }
      if (v.endsWith("m")) {
        return Duration.ofSeconds(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60));
      }
      if (v.endsWith("h")) {
        return Duration.ofMinutes(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60));
      }
      return Duration.ofSeconds(Long.parseLong(v));
    } catch (RuntimeException e) {
      throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (use e.g. 60s, 500ms, 2m)");
    }
  }
}
