package dev.messenger.webgateway;

import dev.messenger.common.auth.TokenKeys;
import dev.messenger.common.config.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Web gateway settings: where it listens, the web app's built files, and the gRPC address of every backend
 * (several session servers may be given; calls go to each in turn), reached over TLS trusting
 * {@code upstreamCa} when the backends serve TLS, in plaintext otherwise.
 */
public record WebGatewayConfig(
    String host,
    int port,
    Path webRoot,
    List<String> sessionTargets,
    String historyTarget,
    String presenceTarget,
    String pushTarget,
    TokenKeys tokenKey,
    Optional<Path> upstreamCa) {

  public WebGatewayConfig {
    upstreamCa = upstreamCa == null ? Optional.empty() : upstreamCa;
    sessionTargets = List.copyOf(sessionTargets);
    if (sessionTargets.isEmpty()) {
      throw new IllegalArgumentException("at least one session server address is needed");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("invalid port " + port);
    }
  }

  /** Plaintext upstreams. */
  public WebGatewayConfig(String host, int port, Path webRoot, List<String> sessionTargets, String historyTarget,
      String presenceTarget, String pushTarget, TokenKeys tokenKey) {
    this(host, port, webRoot, sessionTargets, historyTarget, presenceTarget, pushTarget, tokenKey, Optional.empty());
  }

  /** Flags: --host, --port, --web-root, --session-targets (comma-separated), --history-target, ..., --tls-ca-file. */
  public static WebGatewayConfig from(Settings s, TokenKeys tokenKeys) {
    return new WebGatewayConfig(
        s.string("host", "127.0.0.1"),
        s.integer("port", 8000),
        Path.of(s.string("web-root", "clients/web/dist")),
        s.list("session-targets").isEmpty() ? List.of("127.0.0.1:7100") : s.list("session-targets"),
        s.string("history-target", "127.0.0.1:7300"),
        s.string("presence-target", "127.0.0.1:7400"),
        s.string("push-target", "127.0.0.1:7500"),
        tokenKeys,
        s.get("tls-ca-file").map(Path::of));
  }

  public WebGatewayConfig withPort(int other) {
    return new WebGatewayConfig(host, other, webRoot, sessionTargets, historyTarget, presenceTarget, pushTarget,
        tokenKey, upstreamCa);
  }
}
