package dev.messenger.common;

/**
 * The kinds of service that publish events for a user's devices, each on a subject of its own
 * ({@link Subjects#user(String, UserEventPublisher)}), so that NATS permissions decide who can put what in
 * front of a device: only routers may publish on the {@code router} subjects, where messages come from.
 */
public enum UserEventPublisher {
  /** Committed messages and their projection. */
  ROUTER("router"),
  /** Receipts, typing and relayed heartbeats. */
  SESSION("session"),
  /** Presence changes of the people the user watches. */
  PRESENCE("presence");

  private final String token;

  UserEventPublisher(String token) {
    this.token = token;
  }

  /** The subject token naming this publisher. */
  public String token() {
    return token;
  }
}
