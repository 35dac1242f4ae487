package dev.messenger.common.config;

/** A flag or MESSENGER_* variable that the starting service does not know: a likely typo, never ignored. */
public final class UnknownSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  UnknownSettingException(String message) {
    super(message);
  }
}
