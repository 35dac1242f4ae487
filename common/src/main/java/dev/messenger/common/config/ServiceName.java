package dev.messenger.common.config;

import java.util.Locale;

/** The services that read {@link Settings}; {@link KnownSettings} says which settings each reads. */
public enum ServiceName {
  SESSION,
  ROUTER,
  HISTORY,
  PRESENCE,
  PUSH,
  WEBGATEWAY;

  /** The lower-case name used in messages, e.g. {@code session}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
