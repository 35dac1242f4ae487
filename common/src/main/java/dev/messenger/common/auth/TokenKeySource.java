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

  /**
   * The signing key as {@link #resolve}, plus a retired key that still verifies during a rotation:
   * {@code --token-previous-key} / {@code MESSENGER_TOKEN_PREVIOUS_KEY} with
   * {@code MESSENGER_TOKEN_PREVIOUS_KEY_UNTIL} (an ISO-8601 instant such as 2026-12-31T00:00:00Z; required
   * with it, since a retired key accepted forever is not retired).
   */
  public static TokenKeys keys(Settings settings) {
    String signing = resolve(settings);
    java.util.Optional<String> previous = settings.get("token-previous-key");
    java.util.Optional<String> until = settings.get("token-previous-key-until");
    if (previous.isEmpty()) {
      if (until.isPresent()) {
        throw new IllegalStateException("MESSENGER_TOKEN_PREVIOUS_KEY_UNTIL is set without MESSENGER_TOKEN_PREVIOUS_KEY");
      }
      return TokenKeys.of(signing);
    }
    if (until.isEmpty()) {
      throw new IllegalStateException("MESSENGER_TOKEN_PREVIOUS_KEY needs MESSENGER_TOKEN_PREVIOUS_KEY_UNTIL: until "
          + "when tokens signed with it are accepted (an ISO-8601 instant such as 2026-12-31T00:00:00Z)");
    }
    java.time.Instant acceptedUntil;
    try {
      acceptedUntil = java.time.Instant.parse(until.get().trim());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalStateException("MESSENGER_TOKEN_PREVIOUS_KEY_UNTIL is not an ISO-8601 instant such as "
          + "2026-12-31T00:00:00Z: " + until.get());
    }
    return new TokenKeys(signing, java.util.List.of(new TokenKeys.RetiredKey(previous.get(), acceptedUntil)));
  }

  /** True when {@code --dev-mode} / {@code MESSENGER_DEV_MODE} is {@code true} or {@code 1}. */
  public static boolean isDevelopmentMode(Settings settings) {
    return settings.get("dev-mode").map(v -> v.equals("true") || v.equals("1")).orElse(false);
  }
}
