package dev.messenger.loadgen;

import dev.messenger.common.config.Settings;
import dev.messenger.common.infra.InfraSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where NATS and the CQL store are, read like every service reads it ({@link InfraSettings}): flags, then
 * MESSENGER_* variables, then the endpoints file that the local stack writes, then the defaults.
 */
final class InfraOptions {
  static final Path ENDPOINTS_FILE = Path.of(".messenger", "run", "endpoints.env");

  @Option(names = "--nats-url", paramLabel = "URL", description = "NATS server. Default: $MESSENGER_NATS_URL, "
      + "else .messenger/run/endpoints.env, else nats://127.0.0.1:4222.")
  String natsUrl;

  @Option(names = "--cql-contact-points", paramLabel = "HOST:PORT,...", description = "CQL nodes. Default: "
      + "$MESSENGER_CQL_CONTACT_POINTS, else .messenger/run/endpoints.env, else 127.0.0.1:9042.")
  String cqlContactPoints;

  @Option(names = "--cql-datacenter", paramLabel = "NAME", description = "Local datacenter of the driver.")
  String cqlDatacenter;

  @Option(names = "--nats-user", paramLabel = "USER", description = "NATS user. Default: $MESSENGER_NATS_USER; "
      + "the password is read from $MESSENGER_NATS_PASSWORD.")
  String natsUser;

  @Option(names = "--cql-user", paramLabel = "USER", description = "CQL user. Default: $MESSENGER_CQL_USER; "
      + "the password is read from $MESSENGER_CQL_PASSWORD.")
  String cqlUser;

  @Option(names = "--endpoints-file", paramLabel = "FILE",
      description = "KEY=VALUE lines with MESSENGER_* endpoints. Default: ${DEFAULT-VALUE} when it exists.",
      defaultValue = ".messenger/run/endpoints.env")
  Path endpointsFile;

  InfraSettings resolve() {
    Map<String, String> env = new HashMap<>(readEnvFile(endpointsFile));
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("MESSENGER_") && !v.isBlank()) {
        env.put(k, v);
      }
    });
    List<String> flags = new ArrayList<>();
    if (natsUrl != null) {
      flags.add("--nats-url=" + natsUrl);
    }
    if (cqlContactPoints != null) {
      flags.add("--cql-contact-points=" + cqlContactPoints);
    }
    if (natsUser != null) {
      flags.add("--nats-user=" + natsUser);
    }
    if (cqlUser != null) {
      flags.add("--cql-user=" + cqlUser);
    }
    if (cqlDatacenter != null) {
      flags.add("--cql-datacenter=" + cqlDatacenter);
    }
    return InfraSettings.from(Settings.of(flags.toArray(String[]::new), env));
  }

  /** Reads KEY=VALUE lines (blank lines and # comments skipped); empty when the file is absent. */
  static Map<String, String> readEnvFile(Path file) {
    Map<String, String> out = new HashMap<>();
    if (file == null || !Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.trim();
        int eq = trimmed.indexOf('=');
        if (trimmed.isEmpty() || trimmed.startsWith("#") || eq <= 0) {
          continue;
        }
        String value = trimmed.substring(eq + 1).trim();
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
          value = value.substring(1, value.length() - 1);
        }
        out.put(trimmed.substring(0, eq).trim().replaceFirst("^export\\s+", ""), value);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }
}
