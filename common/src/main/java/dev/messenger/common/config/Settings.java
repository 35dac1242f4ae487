package dev.messenger.common.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Configuration read from command-line flags ({@code --grpc-port=7000}) and environment variables
 * ({@code MESSENGER_GRPC_PORT=7000}); a flag wins over the environment. Only {@code main} methods build one,
 * with {@link #forService}: a service refuses to start on a name it does not know (see {@link KnownSettings}).
 */
public final class Settings {
  private final Map<String, String> flags;
  private final Map<String, String> environment;
  private final Optional<ServiceName> service;

  private Settings(Map<String, String> flags, Map<String, String> environment, Optional<ServiceName> service) {
    this.flags = flags;
    this.environment = environment;
    this.service = service;
  }

  /**
   * The settings of {@code service}: an {@link UnknownSettingException} names every flag the service does
   * not read and every MESSENGER_* variable no process reads (variables meant for another service are fine:
   * {@code ./messenger up} gives all services the same environment), with the name likely meant.
   */
  public static Settings forService(ServiceName service, String[] args, Map<String, String> environment) {
    Map<String, String> flags = parseFlags(args);
    StrictNames.check(service, flags.keySet(), environment.keySet());
    return new Settings(flags, Map.copyOf(environment), Optional.of(service));
  }

  /** Settings for tools that read a few known names and pass the rest of their environment on; not strict. */
  public static Settings of(String[] args, Map<String, String> environment) {
    return new Settings(parseFlags(args), Map.copyOf(environment), Optional.empty());
  }

  /** Parses {@code --name=value} flags; anything else is rejected with IllegalArgumentException. */
  private static Map<String, String> parseFlags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got: " + arg);
      }
      int eq = arg.indexOf('=');
      flags.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    return Map.copyOf(flags);
  }

  /**
   * The value of flag {@code name} or of environment variable MESSENGER_NAME. Service settings may only read
   * names {@link KnownSettings} lists for the service (IllegalStateException otherwise: a programming error
   * that the service's config tests catch, so that strictness never rejects a name the service reads).
   */
  public Optional<String> get(String name) {
    service.ifPresent(s -> {
      if (!KnownSettings.readersOf(name).contains(s)) {
        throw new IllegalStateException("setting " + name + " is read by the " + s.label()
            + " service but not listed for it in KnownSettings");
      }
    });
    String flag = flags.get(name);
    if (flag != null) {
      return Optional.of(flag);
    }
    return Optional.ofNullable(environment.get(KnownSettings.variableName(name))).filter(v -> !v.isBlank());
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
