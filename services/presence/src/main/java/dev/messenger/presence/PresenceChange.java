package dev.messenger.presence;

import static java.util.Objects.requireNonNull;

/** A decided change of a user's presence: online, or offline having last been seen at {@code lastSeenMs}. */
record PresenceChange(String userId, boolean online, long lastSeenMs) {
  PresenceChange {
    requireNonNull(userId, "userId");
  }

  static PresenceChange online(String userId) {
    return new PresenceChange(userId, true, 0);
  }

  static PresenceChange offline(String userId, long lastSeenMs) {
    return new PresenceChange(userId, false, lastSeenMs);
  }
}
