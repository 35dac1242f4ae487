package dev.messenger.common.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Configuration read from command-line flags ({@code --grpc-port=7000}) and environment variables
 * ({@code MESSENGER_GRPC_PORT=7000}); a flag wins over the environment. Only {@code main} methods build one.
 */
public final class Settings {
  private final Map<String, String> flags;
  private final Map<String, String> environment;

  private Settings(Map<String, String> flags, Map<String, String> environment) {
    this.flags = flags;
    this.environment = environment;
  }

  /** Parses {@code --name=value} flags; anything else is rejected with IllegalArgumentException. */
  public static Settings of(String[] args, Map<String, String> environment) {
    Map<String, String> flags = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got: " + arg);
      }
      int eq = arg.indexOf('=');
      flags.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    return new Settings(Map.copyOf(flags), Map.copyOf(environment));
  }

  /** The value of flag {@code name} or of environment variable MESSENGER_NAME. */
  public Optional<String> get(String name) {
    String flag = flags.get(name);
    if (flag != null) {
      return Optional.of(flag);
    }
    String envName = "MESSENGER_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    return Optional.ofNullable(environment.get(envName)).filter(v -> !v.isBlank());
  }

  public String string(String name, String defaultValue) {
    return get(name).orElse(defaultValue);
  }

  public int integer(String name, int defaultValue) {
    return get(name).map(v -> parse(name, v, Integer::parseInt)).orElse(defaultValue);
  }

  /** A duration in ISO-8601 ({@code PT5S}) or as a number with unit ms, s or m ({@code 500ms}, {@code 5s}). */
  public Duration duration(String name, Duration defaultValue) {
    return get(name).map(v -> parse(name, v, Settings::parseDuration)).orElse(defaultValue);
  }

  /** A comma-separated list; empty when absent. */
  public List<String> list(String name) {
    return get(name)
        .map(v -> Stream.of(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  private static Duration parseDuration(String value) {
    if (value.startsWith("P") || value.startsWith("p")) {
      return Duration.parse(value);
    }
    if (value.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
    }
    if (value.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
    }
    if (value.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
    }
    throw new IllegalArgumentException("no unit");
  }

  private static <T> T parse(String name, String value, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid value for " + name + ": " + value, e);
    }
  }
}
