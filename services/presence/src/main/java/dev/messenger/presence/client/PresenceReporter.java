package dev.messenger.presence.client;

import static java.util.Objects.requireNonNull;

import dev.messenger.common.auth.Tokens;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.presence.client.ReportBatch.Outgoing;
import io.nats.client.Connection;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a session server tells presence: which streams it holds and which users each stream watches.
 *
 * <p>Every call returns at once: it updates what this reporter holds and queues a report on the NATS
 * subject of the partition of the user concerned; one thread publishes the queue in order. Every refresh
 * interval the reporter reports again everything it holds, so presence rebuilds its state after any loss
 * (a dropped message, a presence instance taking over a partition) and forgets, within {@link
 * PresenceReporterConfig#ttl()}, whatever this reporter stops reporting, also when this process dies.
 *
 * <p>How a session server uses it (one reporter per server, its id the one registered in etcd):
 * <ul>
 *   <li>a stream (Connect or Subscribe) is registered: {@link #streamOpened};
 *   <li>the stream shows life (Heartbeat frame, or the unary Heartbeat call of a web client): {@link
 *       #heartbeat}; streams silent for longer than the silence limit stop counting as online;
 *   <li>the stream ends, for any reason (completed, cancelled, displaced, cut, drained): {@link
 *       #streamClosed};
 *   <li>a PresenceWatch frame: {@link #watch}, sending its StatusRuntimeException back as a StreamError;
 *   <li>the server stops: close the streams (each reports its end), then {@link #close()}.
 * </ul>
 *
 * <p>Thread-safe. Stream ids must be unique among the streams this server holds, also across its restarts
 * under the same id (a UUID will do).
 */
public final class PresenceReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PresenceReporter.class);

  private final BiConsumer<String, byte[]> publisher;
  private final PresenceReporterConfig config;
  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final Clock clock;
  private final int ttlMs;
  private final AtomicLong dropped = new AtomicLong();
  private final Object lock = new Object();
  // Guarded by lock.
  private final Map<String, StreamState> streams = new HashMap<>();
  private final Map<String, WatchState> watches = new HashMap<>();
  private final ArrayDeque<Outgoing> pending = new ArrayDeque<>();
  private boolean drainScheduled;
  private boolean closed;
  private ScheduledFuture<?> refreshTask;

  private PresenceReporter(BiConsumer<String, byte[]> publisher, PresenceReporterConfig config,
      ScheduledExecutorService executor, boolean ownsExecutor, Clock clock) {
    this.publisher = requireNonNull(publisher, "publisher");
    this.config = requireNonNull(config, "config");
    this.executor = requireNonNull(executor, "executor");
    this.ownsExecutor = ownsExecutor;
    this.clock = requireNonNull(clock, "clock");
    this.ttlMs = (int) Math.min(Integer.MAX_VALUE, config.ttl().toMillis());
  }

  /** A reporter with its own publishing thread, stopped by {@link #close()}. */
  public static PresenceReporter start(Connection nats, PresenceReporterConfig config) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "presence-reporter-" + config.serverId());
      t.setDaemon(true);
      return t;
    });
    return start(nats::publish, config, executor, true, Clock.systemUTC());
  }

  /** A reporter publishing on {@code executor}, which must run one task at a time and stays the caller's. */
  public static PresenceReporter start(Connection nats, PresenceReporterConfig config,
      ScheduledExecutorService executor, Clock clock) {
    return start(nats::publish, config, executor, false, clock);
  }

  /** A reporter handing its messages to {@code publisher} (subject, payload) instead of NATS (tests). */
  static PresenceReporter start(BiConsumer<String, byte[]> publisher, PresenceReporterConfig config,
      ScheduledExecutorService executor, boolean owns, Clock clock) {
    PresenceReporter reporter = new PresenceReporter(publisher, config, executor, owns, clock);
    long interval = config.refreshInterval().toMillis();
    synchronized (reporter.lock) {
      reporter.refreshTask =
          executor.scheduleWithFixedDelay(reporter::refresh, interval, interval, TimeUnit.MILLISECONDS);
    }
    return reporter;
  }

  /** A device stream of {@code userId} is open on this server; the user counts as online while it lives. */
  public void streamOpened(String userId, String deviceId, String streamId) {
    requireNonNull(userId, "userId");
    requireNonNull(deviceId, "deviceId");
    requireNonNull(streamId, "streamId");
    synchronized (lock) {
      if (closed) {
        return;
      }
      streams.put(streamId, new StreamState(userId, deviceId, clock.millis()));
      ReportBatch batch = newBatch();
      batch.liveStream(userId, deviceId, streamId);
      enqueue(batch);
    }
  }

  /** The stream showed life (a heartbeat frame or call); a stream that had gone silent is reported again. */
  public void heartbeat(String userId, String streamId) {
    synchronized (lock) {
      StreamState stream = streams.get(streamId);
      if (closed || stream == null || !stream.userId.equals(userId)) {
        return;
      }
      stream.lastActivityMs = clock.millis();
      if (stream.silent) {
        stream.silent = false;
        ReportBatch batch = newBatch();
        batch.liveStream(userId, stream.deviceId, streamId);
        enqueue(batch);
      }
    }
  }

  /** The stream ended (any reason); also ends every watch of the stream. */
  public void streamClosed(String userId, String streamId) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      ReportBatch batch = newBatch();
      StreamState stream = streams.get(streamId);
      if (stream != null && stream.userId.equals(userId)) {
        streams.remove(streamId);
        batch.endedStream(userId, streamId);
      }
      endWatches(userId, streamId, batch);
      enqueue(batch);
    }
  }

  /**
   * Changes the users whose presence changes reach {@code userId} through this stream: removals first, then
   * additions; watching oneself is ignored. The contacts of the user's 1:1 conversations need no watch. A new
   * watch is answered with the watched user's current presence on the watcher's user subject. In
   * {@link PresenceReporterConfig.WatchMode#STREAM} mode watches of a stream that is not open are ignored.
   *
   * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT (INVALID_USER_ID) for a malformed user id,
   *     RESOURCE_EXHAUSTED (WATCH_LIMIT) when the stream would watch more than the limit; nothing changes then
   */
  public void watch(String userId, String streamId, Collection<String> add, Collection<String> remove) {
    requireNonNull(userId, "userId");
    requireNonNull(streamId, "streamId");
    for (String id : add) {
      requireValid(id);
    }
    for (String id : remove) {
      requireValid(id);
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (streamMode() && !isOpen(userId, streamId)) {
        return;
      }
      WatchState current = watches.get(streamId);
      if (current != null && !current.userId.equals(userId)) {
        throw new IllegalArgumentException("stream " + streamId + " belongs to another user");
      }
      Set<String> before = current == null ? Set.of() : current.watched;
      Set<String> after = new LinkedHashSet<>(before);
      after.removeAll(remove);
      for (String id : add) {
        if (!id.equals(userId)) {
          after.add(id);
        }
      }
      if (after.size() > config.watchLimit()) {
        throw ApiErrors.resourceExhausted("WATCH_LIMIT",
            "a stream may watch at most " + config.watchLimit() + " users");
      }
      ReportBatch batch = newBatch();
      for (String id : before) {
        if (!after.contains(id)) {
          batch.endedWatch(id, userId, streamId);
        }
      }
      for (String id : after) {
        if (!before.contains(id)) {
          batch.liveWatch(id, userId, streamId, true);
        }
      }
      if (after.isEmpty()) {
        watches.remove(streamId);
      } else {
        watches.put(streamId, new WatchState(userId, after));
      }
      enqueue(batch);
    }
  }

  /** Ends every explicit watch of the stream. */
  public void unwatchAll(String userId, String streamId) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      ReportBatch batch = newBatch();
      endWatches(userId, streamId, batch);
      enqueue(batch);
    }
  }

  /** Reports dropped because the queue was full or NATS refused them; refreshes repair what they said. */
  public long droppedReports() {
    return dropped.get();
  }

  /**
   * Stops reporting without ending anything: presence lets this server's streams and watches expire (or
   * drops them at once when the server's etcd key goes). End streams with {@link #streamClosed} first for
   * a graceful stop.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (refreshTask != null) {
        refreshTask.cancel(false);
      }
    }
    if (ownsExecutor) {
      executor.shutdown();
      try {
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        executor.shutdownNow();
      }
    }
  }

  /** Reports everything held again (runs every refresh interval). */
  void refresh() {
    try {
      synchronized (lock) {
        if (closed) {
          return;
        }
        long now = clock.millis();
        long silence = config.silenceLimit().toMillis();
        ReportBatch batch = newBatch();
        streams.forEach((streamId, stream) -> {
          if (silence > 0 && now - stream.lastActivityMs > silence) {
            stream.silent = true;
          } else {
            batch.liveStream(stream.userId, stream.deviceId, streamId);
          }
        });
        watches.forEach((streamId, watch) -> {
          for (String watched : watch.watched) {
            batch.liveWatch(watched, watch.userId, streamId, false);
          }
        });
        enqueue(batch);
      }
    } catch (RuntimeException e) {
      log.warn("presence refresh of {} failed: {}", config.serverId(), e.toString());
    }
  }

  private boolean streamMode() {
    return config.watchMode() == PresenceReporterConfig.WatchMode.STREAM;
  }

  private boolean isOpen(String userId, String streamId) {
    StreamState stream = streams.get(streamId);
    return stream != null && stream.userId.equals(userId);
  }

  private void endWatches(String userId, String streamId, ReportBatch batch) {
    WatchState watch = watches.get(streamId);
    if (watch != null && watch.userId.equals(userId)) {
      watches.remove(streamId);
      for (String watched : watch.watched) {
        batch.endedWatch(watched, userId, streamId);
      }
    }
  }

  private ReportBatch newBatch() {
    return new ReportBatch(config.subjects(), config.serverId(), ttlMs, config.partitions());
  }

  /** Queues the batch's messages in order; caller holds the lock. */
  private void enqueue(ReportBatch batch) {
    for (Outgoing message : batch.build()) {
      if (pending.size() >= config.maxPending()) {
        pending.poll();
        dropped.incrementAndGet();
      }
      pending.add(message);
    }
    if (!drainScheduled && !pending.isEmpty()) {
      drainScheduled = true;
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        drainScheduled = false;
      }
    }
  }

  private void drain() {
    while (true) {
      List<Outgoing> batch;
      synchronized (lock) {
        if (pending.isEmpty()) {
          drainScheduled = false;
          return;
        }
        batch = new ArrayList<>(pending);
        pending.clear();
      }
      for (Outgoing message : batch) {
        try {
          publisher.accept(message.subject(), message.payload());
        } catch (RuntimeException e) {
          dropped.incrementAndGet();
          log.debug("presence report not published: {}", e.toString());
        }
      }
    }
  }

  private static void requireValid(String userId) {
    if (!Tokens.isValidId(userId)) {
      throw ApiErrors.invalidArgument("INVALID_USER_ID", "not a valid user id");
    }
  }

  private static final class StreamState {
    final String userId;
    final String deviceId;
    long lastActivityMs;
    boolean silent;

    StreamState(String userId, String deviceId, long now) {
      this.userId = userId;
      this.deviceId = deviceId;
      this.lastActivityMs = now;
    }
  }

  private record WatchState(String userId, Set<String> watched) {}
}
