package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.StreamError;

/** A send the server rejected permanently (e.g. INVALID_ARGUMENT / BODY_TOO_LONG); it is not retried. */
public final class SendFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient StreamError error;

  public SendFailedException(StreamError error) {
    super(requireNonNull(error, "error").getCode() + " " + error.getReason() + ": " + error.getMessage());
    this.error = error;
  }

  public StreamError error() {
    return error;
  }

  /** The ErrorInfo-style reason, e.g. "BODY_TOO_LONG". */
  public String reason() {
    return error.getReason();
  }
}
