package dev.messenger.client;

/** Where a {@link MessengerClient} is in its connection life cycle. */
public enum ConnectionState {
  /** Discovering a session server and opening a stream. */
  CONNECTING,
  /** The server answered Welcome; catch-up deliveries are arriving. */
  CONNECTED,
  /** Catch-up is complete and processed by the listener; everything from now on is live. */
  CAUGHT_UP,
  /** The stream ended; a reconnect is scheduled with backoff. */
  DISCONNECTED,
  /** Closed by {@link MessengerClient#close()} or by an authentication or permission error. Final. */
  CLOSED
}
