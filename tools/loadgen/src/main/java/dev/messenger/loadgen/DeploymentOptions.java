package dev.messenger.loadgen;

import dev.messenger.common.auth.DevDefaults;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which deployment the tool drives and how it signs its tokens; defaults to the stack of ./messenger up. */
public final class DeploymentOptions {
  static final String LOCAL_SESSION = "127.0.0.1:7100";

  @Option(names = "--target", paramLabel = "HOST:PORT",
      description = "Session server(s) to bootstrap from (repeatable). Default: 127.0.0.1:7100, the stack "
          + "of ./messenger up.")
  List<String> targets;

  @Option(names = "--token-key", paramLabel = "KEY",
      description = "The deployment's token signing key. Default: $MESSENGER_TOKEN_KEY, else the development "
          + "key that ./messenger up uses.")
  String tokenKey;

  @Option(names = "--tls-ca-file", paramLabel = "PEM", defaultValue = "${env:MESSENGER_TLS_CA_FILE}",
      description = "Reach the deployment over TLS, trusting this CA. Default: $MESSENGER_TLS_CA_FILE (./messenger "
          + "loadgen takes it from a stack started with --tls); none: plaintext.")
  Path tlsCaFile;

  @Option(names = "--no-discovery", description = "Connect to the target itself instead of asking Discovery "
      + "for the least loaded session server (apps use discovery).")
  boolean noDiscovery;

  public String key() {
    if (tokenKey != null && !tokenKey.isBlank()) {
      return tokenKey;
    }
    String env = System.getenv("MESSENGER_TOKEN_KEY");
    return env != null && !env.isBlank() ? env : DevDefaults.TOKEN_KEY;
  }

  public List<String> targets() {
    return targets == null || targets.isEmpty() ? List.of(LOCAL_SESSION) : List.copyOf(targets);
  }

  /** The CA to trust when the deployment serves TLS; empty for plaintext. */
  public Optional<Path> tlsCaFile() {
    return Optional.ofNullable(tlsCaFile);
  }

  public boolean discovery() {
    return !noDiscovery;
  }
}
