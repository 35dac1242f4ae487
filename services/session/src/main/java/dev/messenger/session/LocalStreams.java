package dev.messenger.session;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.common.Subjects;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.infra.SubscriptionBarrier;
import dev.messenger.internal.v1.UserEvent;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams this server holds, by user and device. While it holds at least one stream of a user, it is
 * subscribed to that user's NATS subjects (one subscription for every publisher): subject interest is the
 * whole map from user to session server. Events pass {@link UserEventGate} before any stream sees them.
 * A second stream of the same device displaces the first.
 */
final class LocalStreams {
  private static final Logger log = LoggerFactory.getLogger(LocalStreams.class);

  private final Connection nats;
  private final Subjects subjects;
  private final UserEventGate gate;
  private final Dispatcher dispatcher;
  private final SubscriptionBarrier barrier;
  private final ConnectionListener reconnects;
  private final Consumer<DeviceStream> relayedHeartbeat;
  private final BiConsumer<String, String> sentByTheUser;
  private final Map<String, Map<String, DeviceStream>> byUser = new HashMap<>();
  private final Map<String, Subscription> subscriptions = new HashMap<>();
  /** Users subscribed to for their sends alone (no stream of theirs here), until when (nanoTime). */
  private final Map<String, Long> sendWatchUntil = new HashMap<>();
  private int count;
  private long lastDropped;
  private static final long PENDING_MESSAGES = 1_000_000;
  /** What the bus may hold for this server before it drops (and streams then resync from history). */
  private static final long PENDING_BYTES = 128L * 1024 * 1024;

  /**
   * {@code relayedHeartbeat} counts a heartbeat that another server received for a stream held here;
   * {@code sentByTheUser} hears (user, client message id) of each message a user held here sent, from any
   * server, once per message and server.
   */
  LocalStreams(Connection nats, Subjects subjects, UserEventGate gate, Consumer<DeviceStream> relayedHeartbeat,
      BiConsumer<String, String> sentByTheUser) {
    this.nats = nats;
    this.subjects = subjects;
    this.gate = gate;
    this.relayedHeartbeat = relayedHeartbeat;
    this.sentByTheUser = sentByTheUser;
    this.dispatcher = nats.createDispatcher();
    this.dispatcher.setPendingLimits(PENDING_MESSAGES, PENDING_BYTES);
    this.barrier = new SubscriptionBarrier(nats, subjects, Duration.ofSeconds(10));
    this.reconnects = this::onConnectionEvent;
    nats.addConnectionListener(reconnects);
  }

  /** Where user events wait between the bus and their streams. */
  io.nats.client.Consumer busBacklog() {
    return dispatcher;
  }

  private final java.util.concurrent.ExecutorService resyncAfterReconnect =
      java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bus-reconnect-resync");
        t.setDaemon(true);
        return t;
      });

  /**
   * Core NATS loses what is published while the connection is down: once the subscriptions are back, every
   * stream reads history again instead of waiting for its conversations' next messages.
   */
  private void onConnectionEvent(Connection connection, ConnectionListener.Events event) {
    if (event != ConnectionListener.Events.RECONNECTED && event != ConnectionListener.Events.RESUBSCRIBED) {
      return;
    }
    resyncAfterReconnect.execute(() -> {
      try {
        barrier.await(); // the server has the subscriptions again before history is read
      } catch (TimeoutException | InterruptedException e) {
        log.warn("the bus did not confirm the subscriptions after reconnecting: {}", e.toString());
      }
      List<DeviceStream> streams = all();
      log.info("the bus reconnected; {} streams read history again", streams.size());
      streams.forEach(DeviceStream::resync);
    });
  }

  /**
   * If the bus dropped events for this server (a slow consumer), every stream reads history again: a
   * dropped message that was the last of its conversation would otherwise wait for the next one.
   */
  void resyncIfDropped() {
    long dropped = dispatcher.getDroppedCount();
    if (dropped > lastDropped) {
      lastDropped = dropped;
      log.warn("the bus dropped events for this server; {} streams read history again", count());
      all().forEach(DeviceStream::resync);
    }
  }

  /**
   * Registers a stream and makes sure the server is subscribed to its user's subject before returning,
   * so that nothing published after this call can be missed.
   */
  void add(DeviceStream stream) {
    SubscriptionBarrier.Mark mark = barrier.mark();
    DeviceStream displaced;
    synchronized (this) {
      Map<String, DeviceStream> devices = byUser.computeIfAbsent(stream.userId(), u -> new HashMap<>());
      displaced = devices.put(stream.deviceId(), stream);
      if (displaced == null) {
        count++;
      }
      subscribe(stream.userId());
    }
    if (displaced != null) {
      displaced.close(ApiErrors.of(io.grpc.Status.Code.ALREADY_EXISTS, "DISPLACED",
          "another stream of this device was opened"));
    }
    // Confirmed even when the subscription existed: another stream's confirmation of it may not have finished.
    try {
      barrier.await();
      if (barrier.reconnectedSince(mark)) {
        // Its SUB may never have reached the server (SubscriptionBarrier): subscribe anew and confirm that.
        synchronized (this) {
          resubscribe(stream.userId());
        }
        barrier.await();
      }
    } catch (TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw ApiErrors.unavailable("BUS_UNAVAILABLE", "the message bus did not answer; retry");
    }
  }

  void close() {
    nats.removeConnectionListener(reconnects);
    resyncAfterReconnect.shutdownNow();
    barrier.close();
  }

  /** Forgets a closed stream; unsubscribes from the user's subject when it was the user's last one here. */
  synchronized void remove(DeviceStream stream) {
    Map<String, DeviceStream> devices = byUser.get(stream.userId());
    if (devices == null || devices.get(stream.deviceId()) != stream) {
      return;
    }
    devices.remove(stream.deviceId());
    count--;
    if (devices.isEmpty()) {
      byUser.remove(stream.userId());
      if (!sendWatchUntil.containsKey(stream.userId())) {
        unsubscribe(stream.userId());
      }
    }
  }

  /**
   * Hears the messages the user commits for {@code span} more, from any server, even with no stream of the
   * user here: a server admitting a user's unary sends must see those the other servers admit, or each would
   * give the user the whole rate.
   */
  synchronized void watchSends(String userId, long nowNanos, Duration span) {
    sendWatchUntil.put(userId, nowNanos + span.toNanos());
    subscribe(userId);
  }

  /** Ends the watches that ran out, with their subscriptions where no stream of the user is here. */
  synchronized void endWatches(long nowNanos) {
    var watches = sendWatchUntil.entrySet().iterator();
    while (watches.hasNext()) {
      var watch = watches.next();
      if (watch.getValue() - nowNanos <= 0) {
        watches.remove();
        if (!byUser.containsKey(watch.getKey())) {
          unsubscribe(watch.getKey());
        }
      }
    }
  }

  private void subscribe(String user) {
    if (!subscriptions.containsKey(user)) {
      subscriptions.put(user, dispatcher.subscribe(subjects.userFromAnyPublisher(user),
          msg -> onEvent(user, msg.getSubject(), msg.getData())));
    }
  }

  /** A new subscription for the user's subject first, then the old one dropped: no moment without one. */
  private void resubscribe(String user) {
    Subscription old = subscriptions.remove(user);
    if (byUser.containsKey(user)) {
      subscribe(user);
    }
    if (old != null) {
      dispatcher.unsubscribe(old);
    }
  }

  private void unsubscribe(String user) {
    Subscription subscription = subscriptions.remove(user);
    if (subscription != null) {
      dispatcher.unsubscribe(subscription);
    }
  }

  /** The stream of a device on this server, if it has one (web heartbeats name no stream). */
  synchronized java.util.Optional<DeviceStream> find(String userId, String deviceId) {
    Map<String, DeviceStream> devices = byUser.get(userId);
    return java.util.Optional.ofNullable(devices == null ? null : devices.get(deviceId));
  }

  /** Bytes queued for clients over every stream here. */
  long queuedBytes() {
    long bytes = 0;
    for (DeviceStream stream : all()) {
      bytes += stream.queuedBytes();
    }
    return bytes;
  }

  synchronized int count() {
    return count;
  }

  synchronized boolean hasUser(String userId) {
    return byUser.containsKey(userId);
  }

  /** Every stream, for draining at shutdown. */
  synchronized List<DeviceStream> all() {
    List<DeviceStream> all = new ArrayList<>();
    byUser.values().forEach(devices -> all.addAll(devices.values()));
    return all;
  }

  private void onEvent(String userId, String subject, byte[] data) {
    UserEvent event;
    try {
      event = UserEvent.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      log.warn("dropping malformed event for a user");
      return;
    }
    if (!gate.admits(subject, event)) {
      return;
    }
    if (event.hasMessage() && event.getMessage().getSenderUserId().equals(userId)) {
      sentByTheUser.accept(userId, event.getMessage().getClientMessageId());
    }
    List<DeviceStream> streams;
    synchronized (this) {
      Map<String, DeviceStream> devices = byUser.get(userId);
      if (devices == null) {
        return;
      }
      streams = new ArrayList<>(devices.values());
    }
    for (DeviceStream stream : streams) {
      switch (event.getEventCase()) {
        case MESSAGE -> stream.onLive(event.getMessage());
        case RECEIPT -> stream.onReceipt(event.getReceipt());
        case TYPING -> stream.send(ServerFrame.newBuilder().setTyping(event.getTyping()).build());
        case PRESENCE -> stream.send(ServerFrame.newBuilder().setPresence(event.getPresence()).build());
        case PROJECTED -> stream.onProjected(event.getProjected().getConversationId(),
            event.getProjected().getUpToSeq());
        case DEVICE_HEARTBEAT -> {
          if (stream.deviceId().equals(event.getDeviceHeartbeat().getDeviceId())) {
            relayedHeartbeat.accept(stream);
          }
        }
        default -> { }
      }
    }
  }
}
