package dev.messenger.common.auth;

import dev.messenger.common.config.Settings;

/**
 * The token signing key a service starts with: the configured one ({@code --token-key} or
 * {@code MESSENGER_TOKEN_KEY}); the public development key only in an explicit development mode
 * ({@code --dev-mode=true} or {@code MESSENGER_DEV_MODE=true}, which {@code ./messenger up} sets). Without
 * either, a service refuses to start: a production service silently signing with a published key would let
 * anyone mint tokens.
 */
public final class TokenKeySource {
  private TokenKeySource() {}

  /** The key to use; IllegalStateException when none is configured outside development mode. */
  public static String resolve(Settings settings) {
    java.util.Optional<String> configured = settings.get("token-key");
    if (configured.isPresent()) {
      return configured.get();
    }
    if (isDevelopmentMode(settings)) {
      return DevDefaults.TOKEN_KEY;
    }
    throw new IllegalStateException("no token signing key: set MESSENGER_TOKEN_KEY (or --token-key) to the "
        + "deployment's key, or MESSENGER_DEV_MODE=true to use the public development key on a development stack");
  }

  /** True when {@code --dev-mode} / {@code MESSENGER_DEV_MODE} is {@code true} or {@code 1}. */
  public static boolean isDevelopmentMode(Settings settings) {
    return settings.get("dev-mode").map(v -> v.equals("true") || v.equals("1")).orElse(false);
  }
}
