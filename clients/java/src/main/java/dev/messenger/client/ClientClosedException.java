package dev.messenger.client;

/**
 * The client was closed (by the application or after an authentication or permission error) before a
 * send was acknowledged. The send stays in the {@link Outbox}; a client built with the same outbox resends
 * it with the same client message id.
 */
public final class ClientClosedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClientClosedException(String message) {
    super(message);
  }
}
