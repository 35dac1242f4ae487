package dev.messenger.loadgen.presence;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.StreamError;
import dev.messenger.client.ConnectionState;
import dev.messenger.client.MessengerListener;
import dev.messenger.loadgen.presence.PresenceLedger.Kind;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Listens to one connection of a churning user: its first CONNECTED (the server's Welcome: the stream is
 * registered and reported to presence) is the transition, stamped then.
 */
final class ChurnerListener implements MessengerListener {
  static final long NOT_YET = Long.MIN_VALUE;

  private final int index;
  private final Kind kind;
  private final PresenceLedger ledger;
  private final ChurnErrors errors;
  private final BooleanSupplier runClosing;
  private final AtomicLong connectedAt = new AtomicLong(NOT_YET);
  private volatile boolean closing;

  ChurnerListener(int index, Kind kind, PresenceLedger ledger, ChurnErrors errors, BooleanSupplier runClosing) {
    this.index = index;
    this.kind = requireNonNull(kind, "kind");
    this.ledger = requireNonNull(ledger, "ledger");
    this.errors = requireNonNull(errors, "errors");
    this.runClosing = requireNonNull(runClosing, "runClosing");
  }

  /** When the stream first became CONNECTED (nanoTime), or {@link #NOT_YET}. */
  long connectedAt() {
    return connectedAt.get();
  }

  /** The run is closing this connection: its ending is no error. */
  void closing() {
    closing = true;
  }

  @Override
  public void onStateChanged(ConnectionState state) {
    if (state == ConnectionState.CONNECTED) {
      long now = System.nanoTime();
      if (connectedAt.compareAndSet(NOT_YET, now)) {
        ledger.transition(index, kind, now);
      }
    } else if (state == ConnectionState.DISCONNECTED && !closing) {
      errors.churnerDrops.incrementAndGet();
    }
  }

  @Override
  public void onError(StreamError error) {
    if (!closing && !runClosing.getAsBoolean()) {
      errors.streamError(error.getReason());
    }
  }
}
