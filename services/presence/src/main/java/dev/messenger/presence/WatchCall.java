package dev.messenger.presence;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.internal.v1.UserEvent;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WatchPresence call: the initial state of the watched users, then their changes as they arrive on the
 * caller's user subject. What waits to be written is kept per watched user, the newest replacing older, so
 * a slow client costs at most one update per watched user and only ever misses intermediate states.
 */
final class WatchCall {
  private static final Logger log = LoggerFactory.getLogger(WatchCall.class);

  private final ServerCallStreamObserver<PresenceUpdate> out;
  private final Set<String> watched;
  private final Map<String, PresenceUpdate> waiting = new LinkedHashMap<>();
  private final Map<String, PresenceUpdate> early = new LinkedHashMap<>();
  private final List<Runnable> onEnd = new ArrayList<>();
  private boolean initialSent;
  private boolean ended;

  WatchCall(ServerCallStreamObserver<PresenceUpdate> out, Set<String> watched) {
    this.out = out;
    this.watched = Set.copyOf(watched);
  }

  /** Runs {@code action} when the call ends (at once if it already has). */
  void onEnd(Runnable action) {
    boolean runNow;
    synchronized (this) {
      runNow = ended;
      if (!ended) {
        onEnd.add(action);
      }
    }
    if (runNow) {
      action.run();
    }
  }

  /** An event published on the caller's user subject. */
  void onUserEvent(byte[] data) {
    UserEvent event;
    try {
      event = UserEvent.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    if (!event.hasPresence() || !watched.contains(event.getPresence().getUserId())) {
      return;
    }
    PresenceUpdate update = event.getPresence();
    synchronized (this) {
      if (ended) {
        return;
      }
      if (initialSent) {
        waiting.put(update.getUserId(), update);
        drain();
      } else {
        early.put(update.getUserId(), update);
      }
    }
  }

  /** The current state read at the start: sent first, then whatever arrived meanwhile. */
  synchronized void initial(List<PresenceUpdate> current) {
    if (ended) {
      return;
    }
    for (PresenceUpdate update : current) {
      waiting.put(update.getUserId(), update);
    }
    waiting.putAll(early);
    early.clear();
    initialSent = true;
    drain();
  }

  /** Writes while the client can take it (gRPC's onReady). */
  synchronized void drain() {
    Iterator<PresenceUpdate> updates = waiting.values().iterator();
    while (!ended && updates.hasNext() && out.isReady()) {
      PresenceUpdate update = updates.next();
      updates.remove();
      out.onNext(update);
    }
  }

  /** Ends the call with an error. */
  void fail(StatusRuntimeException error) {
    synchronized (this) {
      if (ended) {
        return;
      }
      try {
        out.onError(error);
      } catch (IllegalStateException alreadyClosed) {
        log.debug("watch call already closed");
      }
    }
    ended();
  }

  /** The call ended (cancelled by the client, or failed). */
  void ended() {
    List<Runnable> actions;
    synchronized (this) {
      if (ended && onEnd.isEmpty()) {
        return;
      }
      ended = true;
      waiting.clear();
      early.clear();
      actions = List.copyOf(onEnd);
      onEnd.clear();
    }
    actions.forEach(Runnable::run);
  }
}
