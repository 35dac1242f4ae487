package dev.messenger.session;

import static java.util.Objects.requireNonNull;

import dev.messenger.common.Subjects;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session servers tell each other they are alive over NATS ({@link Subjects#sessionHeartbeats()}), every
 * {@link #INTERVAL}, so that Discovery can leave out a server that died without revoking its etcd lease
 * within {@link #SILENCE_LIMIT} instead of the lease TTL, without shorter leases and more etcd writes.
 * A server never judges itself, and judges nobody while its own bus connection is down.
 */
final class SessionHeartbeats implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofMillis(500);
  static final Duration SILENCE_LIMIT = Duration.ofMillis(1500);
  private static final Duration FORGET_AFTER = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(SessionHeartbeats.class);

  private final Connection nats;
  private final String serverId;
  private final LivenessTable table;
  private final Dispatcher dispatcher;
  private final ConnectionListener reconnects;
  private final ScheduledExecutorService timer;

  private SessionHeartbeats(Connection nats, String serverId, LivenessTable table, Dispatcher dispatcher,
      ConnectionListener reconnects, ScheduledExecutorService timer) {
    this.nats = nats;
    this.serverId = serverId;
    this.table = table;
    this.dispatcher = dispatcher;
    this.reconnects = reconnects;
    this.timer = timer;
  }

  /** Starts listening and beating; its own timer thread, so that a slow etcd call cannot hold a beat back. */
  static SessionHeartbeats start(Connection nats, Subjects subjects, String serverId) {
    requireNonNull(serverId, "serverId");
    LivenessTable table = new LivenessTable(SILENCE_LIMIT, System::nanoTime);
    String subject = subjects.sessionHeartbeats();
    Dispatcher dispatcher = nats.createDispatcher(msg -> table.heard(new String(msg.getData(), StandardCharsets.UTF_8)));
    dispatcher.subscribe(subject);
    ConnectionListener reconnects = (connection, event) -> {
      if (event == ConnectionListener.Events.DISCONNECTED || event == ConnectionListener.Events.RECONNECTED
          || event == ConnectionListener.Events.RESUBSCRIBED) {
        table.listenAgain();
      }
    };
    nats.addConnectionListener(reconnects);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "session-heartbeat");
      t.setDaemon(true);
      return t;
    });
    byte[] beat = serverId.getBytes(StandardCharsets.UTF_8);
    timer.scheduleAtFixedRate(() -> {
      try {
        nats.publish(subject, beat);
        table.forgetSilentFor(FORGET_AFTER);
      } catch (RuntimeException e) {
        log.debug("heartbeat not sent: {}", e.toString());
      }
    }, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return new SessionHeartbeats(nats, serverId, table, dispatcher, reconnects, timer);
  }

  /** False only for another server not heard from within {@link #SILENCE_LIMIT} while this one listened. */
  boolean isLive(String otherServerId) {
    if (serverId.equals(otherServerId) || nats.getStatus() != Connection.Status.CONNECTED) {
      return true;
    }
    return !table.isSilent(otherServerId);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    nats.removeConnectionListener(reconnects);
    if (nats.getStatus() != Connection.Status.CLOSED) {
      nats.closeDispatcher(dispatcher);
    }
  }
}
