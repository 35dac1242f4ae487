package dev.messenger.session;

/**
 * Per-user limits of one session server, each a second, sustained, with bursts of twice it (the send rate is
 * separate: it is the user's across servers). Beyond them a call is refused with RESOURCE_EXHAUSTED and a
 * retry delay: a new stream ({@code Connect} or {@code Subscribe}) with CONNECT_RATE_LIMITED, a delivery ack
 * or read marker that would reach the store with RECEIPT_RATE_LIMITED, a presence watch change with
 * WATCH_RATE_LIMITED.
 */
public record UserRates(int connectRate, int receiptRate, int watchRate) {
  /** Enough for a device's reconnects and for many devices of one user reconnecting together. */
  static final int DEFAULT_CONNECT_RATE = 10;
  /** Clients ack per batch and mark read per screen; the stream merges acks before counting. */
  static final int DEFAULT_RECEIPT_RATE = 100;
  static final int DEFAULT_WATCH_RATE = 20;

  public UserRates {
    if (connectRate < 1 || receiptRate < 1 || watchRate < 1) {
      throw new IllegalArgumentException("connect, receipt and watch rates must be at least 1 a second");
    }
  }

  static UserRates defaults() {
    return new UserRates(DEFAULT_CONNECT_RATE, DEFAULT_RECEIPT_RATE, DEFAULT_WATCH_RATE);
  }
}
