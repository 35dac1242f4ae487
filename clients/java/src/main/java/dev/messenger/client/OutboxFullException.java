package dev.messenger.client;

/** A send was refused locally because the outbox already holds its maximum of unacknowledged sends. */
public final class OutboxFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OutboxFullException() {
    super("outbox full: too many unacknowledged sends; wait for acks before sending more");
  }
}
