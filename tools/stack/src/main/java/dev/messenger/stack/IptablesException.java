package dev.messenger.stack;

/** iptables is missing, may not be run by this user, or refused a rule; the message says which. */
public final class IptablesException extends RuntimeException {
  IptablesException(String message) {
    super(message);
  }
}
