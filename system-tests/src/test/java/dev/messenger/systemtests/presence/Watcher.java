package dev.messenger.systemtests.presence;

import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.internal.v1.UserEvent;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The presence updates published on one user's subject, with the time each arrived: exactly what a session
 * server would relay to every live stream of that user as ServerFrame.presence.
 */
final class Watcher implements AutoCloseable {
  private final Connection nats;
  private final Dispatcher dispatcher;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  Watcher(Connection nats, String subject) throws Exception {
    this.nats = nats;
    this.dispatcher = nats.createDispatcher();
    dispatcher.subscribe(subject, message -> {
      try {
        UserEvent event = UserEvent.parseFrom(message.getData());
        if (event.hasPresence()) {
          seen.add(new Seen(event.getPresence(), System.currentTimeMillis()));
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
    });
    nats.flush(Duration.ofSeconds(5));
  }

  /** Everything seen about {@code userId}, in order. */
  List<Seen> of(String userId) {
    return seen.stream().filter(s -> s.update().getUserId().equals(userId)).toList();
  }

  List<Seen> all() {
    return List.copyOf(seen);
  }

  /** The last state seen of the user, or UNSPECIFIED. */
  PresenceState lastState(String userId) {
    List<Seen> updates = of(userId);
    return updates.isEmpty()
        ? PresenceState.PRESENCE_STATE_UNSPECIFIED
        : updates.get(updates.size() - 1).update().getState();
  }

  void clear() {
    seen.clear();
  }

  @Override
  public void close() {
    nats.closeDispatcher(dispatcher);
  }

  record Seen(PresenceUpdate update, long atMs) {
    boolean online() {
      return update.getState() == PresenceState.PRESENCE_STATE_ONLINE;
    }
  }
}
