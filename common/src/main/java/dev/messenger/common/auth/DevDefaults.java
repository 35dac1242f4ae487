package dev.messenger.common.auth;

/** Defaults for a one-machine development stack. Production sets MESSENGER_TOKEN_KEY. */
public final class DevDefaults {
  /** The token signing key used when none is configured; services log a warning when they use it. */
  public static final String TOKEN_KEY = "messenger-dev-signing-key-change-me-0123456789";

  private DevDefaults() {}
}
