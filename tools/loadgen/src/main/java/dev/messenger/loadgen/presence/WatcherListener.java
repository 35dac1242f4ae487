package dev.messenger.loadgen.presence;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.api.v1.StreamError;
import dev.messenger.client.ConnectionState;
import dev.messenger.client.MessengerListener;
import java.util.function.BooleanSupplier;

/** Hands a watcher's presence notifications to the ledger, stamped on arrival; counts its stream's troubles. */
final class WatcherListener implements MessengerListener {
  private final int index;
  private final PresenceLedger ledger;
  private final ChurnErrors errors;
  private final BooleanSupplier closing;
  // Callbacks of one client run one at a time.
  private boolean connectedBefore;

  /**
   * @param closing true once the run closes its clients: what happens then is no error
   */
  WatcherListener(int index, PresenceLedger ledger, ChurnErrors errors, BooleanSupplier closing) {
    this.index = index;
    this.ledger = requireNonNull(ledger, "ledger");
    this.errors = requireNonNull(errors, "errors");
    this.closing = requireNonNull(closing, "closing");
  }

  @Override
  public void onPresence(PresenceUpdate presence) {
    ledger.notification(index, presence.getUserId(), presence.getState() == PresenceState.PRESENCE_STATE_ONLINE,
        System.nanoTime());
  }

  @Override
  public void onStateChanged(ConnectionState state) {
    if (state == ConnectionState.CONNECTED) {
      if (connectedBefore) {
        ledger.watcherReconnected(index);
      }
      connectedBefore = true;
    } else if (state == ConnectionState.DISCONNECTED && !closing.getAsBoolean()) {
      errors.watcherDrops.incrementAndGet();
    }
  }

  @Override
  public void onError(StreamError error) {
    if (!closing.getAsBoolean()) {
      errors.streamError(error.getReason());
    }
  }
}
