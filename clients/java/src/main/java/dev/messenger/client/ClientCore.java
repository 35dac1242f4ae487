package dev.messenger.client;

import dev.messenger.api.v1.CaughtUp;
import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Hello;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.api.v1.StreamError;
import dev.messenger.api.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's state machine. Everything here runs on one serial event loop ({@code loop}); gRPC callbacks
 * and timers only enqueue work on it, and listener callbacks run on a second serial executor
 * ({@code callbacks}) so that a slow application never blocks the loop. Every received frame is answered
 * by exactly one {@link SessionStream#processed()} once it is fully handled, which is what bounds memory.
 */
final class ClientCore implements SessionStream.Events {
  private static final Logger log = LoggerFactory.getLogger(ClientCore.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final long DEFAULT_HEARTBEAT_MS = 15_000;

  private final ClientConfig config;
  private final SerialExecutor loop;
  private final SerialExecutor callbacks;
  private final Channels channels;
  private final ServerDiscovery discovery;
  private final ServerPicker picker;
  private final CursorTracker cursors;
  private final SendTracker sends;
  private final PendingControl control = new PendingControl();
  private final LoopTimers timers;
  private final Outbound outbound;
  private final Inbound inbound;
  private final Backoff reconnectBackoff;
  private final StateCell state = new StateCell();
  private final Counters counters = new Counters();
  private final AtomicBoolean drainRequested = new AtomicBoolean();
  private final AtomicInteger backlog = new AtomicInteger();
  private volatile boolean closed;

  // Event loop only.
  private SessionStream current;
  private boolean connecting;
  private long streamIds;
  private int attempts;
  private String avoidTarget;
  private ScheduledFuture<?> reconnectTimer;
  private ScheduledFuture<?> welcomeTimer;
  private ScheduledFuture<?> heartbeatTimer;

  ClientCore(ClientConfig config) {
    this.config = config;
    this.loop = new SerialExecutor(config.scheduler(), "messenger-client-loop");
    this.callbacks = new SerialExecutor(config.callbackExecutor(), "messenger-client-callbacks");
    this.channels = new Channels(config.channelFactory());
    this.discovery = new ServerDiscovery(config.discoveryTimeout(), loop);
    this.picker = new ServerPicker(config.random());
    this.cursors = new CursorTracker(config.cursorStore().load());
    this.sends = new SendTracker(config.outbox());
    this.timers = new LoopTimers(config.scheduler(), loop);
    this.outbound = new Outbound(() -> current, config, cursors, sends, control, counters, timers,
        (id, atNanos) -> callbacks.execute(() -> Inbound.safely(() -> config.listener().onSendWritten(id, atNanos))));
    this.inbound = new Inbound(config, loop, callbacks, cursors, sends, outbound, counters, timers,
        () -> current, this::streamFailed);
    this.reconnectBackoff = new Backoff(config.backoff(), config.clock(), config.random());
  }

  // ---- API entry points (any thread) ----

  void start() {
    loop.execute(() -> {
      if (!closed && current == null && !connecting && reconnectTimer == null) {
        connect();
      }
    });
  }

  CompletableFuture<SendAck> send(SendRequest request) {
    if (closed) {
      return CompletableFuture.failedFuture(new ClientClosedException("the client is closed"));
    }
    CompletableFuture<SendAck> future = sends.submit(request);
    if (!future.isDone()) {
      loop.execute(() -> {
        if (closed) {
          failAllSends("the client is closed");
        } else if (current != null && current.welcomed()) {
          sends.enqueue(request.getClientMessageId());
          outbound.drain();
        }
      });
    }
    return future;
  }

  void markRead(String conversationId, long upToSeq) {
    control.markRead(conversationId, upToSeq);
    requestDrain();
  }

  void setTyping(String conversationId, boolean typing) {
    control.setTyping(conversationId, typing);
    requestDrain();
  }

  void watchPresence(Set<String> add, Set<String> remove) {
    control.watch(add, remove);
    requestDrain();
  }

  Cursor cursor() {
    return cursors.committedSnapshot();
  }

  ConnectionState state() {
    return state.get();
  }

  boolean awaitState(ConnectionState wanted, Duration timeout) throws InterruptedException {
    return state.await(wanted, timeout);
  }

  ClientStats stats() {
    return counters.snapshot();
  }

  CompletableFuture<String> describeSends() {
    CompletableFuture<String> description = new CompletableFuture<>();
    try {
      loop.execute(() -> description.complete("state " + state.get() + "\n" + sends.describe()));
    } catch (RejectedExecutionException e) {
      description.complete("closed");
    }
    return description;
  }

  /** Closes on the loop; returns the channels still to await, or an empty list if already closed. */
  CompletableFuture<List<ManagedChannel>> close() {
    CompletableFuture<List<ManagedChannel>> done = new CompletableFuture<>();
    try {
      loop.execute(() -> done.complete(shutdown("the client is closed", true)));
    } catch (RejectedExecutionException e) {
      done.complete(List.of());
    }
    return done;
  }

  boolean inCallbackOrLoop() {
    return callbacks.inThisExecutor() || loop.inThisExecutor();
  }

  /** Completes once every callback queued so far has run. */
  CompletableFuture<Void> callbacksDrained() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    callbacks.execute(() -> done.complete(null));
    return done;
  }

  // ---- connecting ----

  private void connect() {
    reconnectTimer = null;
    if (closed) {
      return;
    }
    setState(ConnectionState.CONNECTING);
    if (backlog.get() >= config.flowControlWindow()) {
      // The listener still works through frames of an earlier stream; a new stream would add more.
      reconnectTimer = timers.after(config.backoff().initial(), this::connect);
      return;
    }
    List<String> targets = config.targets();
    String bootstrap = targets.get(Math.floorMod(attempts++, targets.size()));
    try {
      // One token per attempt, for discovery and the stream alike.
      Metadata headers = authorization();
      if (headers == null) {
        return;
      }
      connecting = true;
      if (!config.useDiscovery()) {
        openStream(bootstrap, headers);
        return;
      }
      discovery.discover(channels.get(bootstrap), headers,
          servers -> openStream(picker.pick(servers, avoidTarget, bootstrap), headers));
    } catch (RuntimeException e) {
      connecting = false;
      cannotConnect(bootstrap, e);
    }
  }

  /** A channel could not even be made (e.g. a malformed target): report and retry with backoff. */
  private void cannotConnect(String target, RuntimeException e) {
    log.warn("cannot connect to {}", target, e);
    report(localError("UNAVAILABLE", ClientReasons.CONNECT_FAILED, "cannot connect to " + target));
    setState(ConnectionState.DISCONNECTED);
    scheduleReconnect();
  }

  /** The token header; null when the supplier failed (reported, and a reconnect scheduled). */
  private Metadata authorization() {
    Metadata headers = new Metadata();
    try {
      headers.put(AUTHORIZATION, "Bearer " + config.tokenSupplier().get());
      return headers;
    } catch (RuntimeException e) {
      log.warn("token supplier failed", e);
      report(localError("UNAVAILABLE", ClientReasons.TOKEN_UNAVAILABLE, "the token supplier failed"));
      setState(ConnectionState.DISCONNECTED);
      scheduleReconnect();
      return null;
    }
  }

  private void openStream(String target, Metadata headers) {
    connecting = false;
    if (closed) {
      return;
    }
    Set<String> keep = new HashSet<>(config.targets());
    keep.add(target);
    channels.retainOnly(keep);
    SessionStream stream = new SessionStream(
        ++streamIds, target, config.flowControlWindow(), loop, this, config.clock(), backlog);
    try {
      SessionGrpc.newStub(channels.get(target))
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .connect(stream);
    } catch (RuntimeException e) {
      cannotConnect(target, e);
      return;
    }
    current = stream;
    counters.streamsOpened.increment();
    log.debug("stream {}: connecting to {}", stream.id(), target);
    Hello hello = Hello.newBuilder()
        .setResume(cursors.resumeCursor())
        .setClientVersion(config.clientVersion())
        .build();
    stream.write(ClientFrame.newBuilder().setHello(hello).build());
    welcomeTimer = timers.after(config.welcomeTimeout(), () -> {
      if (current == stream && !stream.welcomed()) {
        streamFailed(stream, localError("DEADLINE_EXCEEDED", ClientReasons.WELCOME_TIMEOUT,
            "no Welcome within " + config.welcomeTimeout().toMillis() + " ms"));
      }
    });
  }

  private void scheduleReconnect() {
    scheduleReconnect(Duration.ZERO);
  }

  /** Reconnects after the backoff's next delay, or after {@code atLeast} if that is longer. */
  private void scheduleReconnect(Duration atLeast) {
    if (closed || current != null || connecting || reconnectTimer != null) {
      return;
    }
    Duration backoff = reconnectBackoff.nextDelay();
    Duration delay = atLeast.compareTo(backoff) > 0 ? atLeast : backoff;
    log.debug("reconnecting in {} ms", delay.toMillis());
    reconnectTimer = timers.after(delay, this::connect);
  }

  // ---- frames (event loop) ----

  @Override
  public void onFrame(SessionStream stream, ServerFrame frame) {
    if (stream != current) {
      stream.discarded();
      return;
    }
    switch (frame.getFrameCase()) {
      case WELCOME -> onWelcome(stream, frame.getWelcome());
      case CAUGHT_UP -> onCaughtUp(stream, frame.getCaughtUp());
      default -> inbound.onFrame(stream, frame);
    }
  }

  private void onWelcome(SessionStream stream, Welcome welcome) {
    if (stream.welcomed()) {
      stream.processed();
      return;
    }
    stream.markWelcomed();
    inbound.welcomed(welcome.getUserId());
    LoopTimers.cancel(welcomeTimer);
    counters.welcomes.increment();
    reconnectBackoff.connected();
    avoidTarget = null;
    log.debug("stream {}: welcome from server {}", stream.id(), welcome.getServerId());
    Duration interval = Duration.ofMillis(welcome.getHeartbeatIntervalMs() > 0
        ? welcome.getHeartbeatIntervalMs() : DEFAULT_HEARTBEAT_MS);
    heartbeatTimer = timers.every(interval, () -> heartbeatTick(stream, interval));
    setState(ConnectionState.CONNECTED);
    stream.processed();
    outbound.streamWelcomed();
  }

  /** CaughtUp counts once the listener has processed everything before it and the cursor is saved. */
  private void onCaughtUp(SessionStream stream, CaughtUp caughtUp) {
    log.debug("stream {}: caught up after {} deliveries", stream.id(), caughtUp.getDelivered());
    callbacks.execute(() -> {
      loop.execute(() -> {
        if (stream == current) {
          cursors.synced(caughtUp.getSyncedAtMs());
          outbound.flushAcks();
          setState(ConnectionState.CAUGHT_UP);
        }
      });
      stream.processed();
    });
  }

  @Override
  public void onReady(SessionStream stream) {
    if (stream == current) {
      outbound.drain();
    }
  }

  private void requestDrain() {
    if (drainRequested.compareAndSet(false, true)) {
      loop.execute(() -> {
        drainRequested.set(false);
        outbound.drain();
      });
    }
  }

  /** Sends a heartbeat, or gives up on a stream that stayed silent for two intervals. */
  private void heartbeatTick(SessionStream stream, Duration interval) {
    if (stream != current) {
      return;
    }
    if (stream.idleMillis() > 2 * interval.toMillis() && !stream.busy()) {
      streamFailed(stream, localError("UNAVAILABLE", ClientReasons.HEARTBEAT_TIMEOUT,
          "nothing received for " + stream.idleMillis() + " ms"));
      return;
    }
    outbound.heartbeat();
  }

  // ---- endings (event loop) ----

  @Override
  public void onEnd(SessionStream stream, Throwable error) {
    stream.ended();
    if (stream != current) {
      return;
    }
    streamGone();
    if (closed) {
      return;
    }
    Status status = error == null ? Status.OK : Status.fromThrowable(error);
    log.debug("stream {}: ended with {}", stream.id(), status);
    if (!stream.welcomed()) {
      avoidTarget = stream.target();
    }
    if (error != null) {
      report(StreamError.newBuilder()
          .setCode(status.getCode().name())
          .setReason(ErrorReasons.reasonOf(error))
          .setMessage(status.getDescription() == null ? "" : status.getDescription())
          .build());
    }
    if (status.getCode() == Status.Code.UNAUTHENTICATED
        || status.getCode() == Status.Code.PERMISSION_DENIED
        || status.getCode() == Status.Code.ALREADY_EXISTS) {
      // ALREADY_EXISTS: another stream of this device took over; reconnecting would displace it in turn.
      shutdown("closed after " + status.getCode() + ": " + status.getDescription(), false);
      return;
    }
    setState(ConnectionState.DISCONNECTED);
    // A stream refused with a retry delay (e.g. RESOURCE_EXHAUSTED / CONNECT_RATE_LIMITED) comes back no sooner.
    scheduleReconnect(ErrorReasons.retryAfterOf(error));
  }

  /** Gives up on a live stream (gap, dead server): cancels it and reconnects. */
  private void streamFailed(SessionStream stream, StreamError why) {
    report(why);
    streamGone();
    stream.cancel(why.getReason());
    setState(ConnectionState.DISCONNECTED);
    scheduleReconnect();
  }

  private void streamGone() {
    current = null;
    LoopTimers.cancel(welcomeTimer);
    LoopTimers.cancel(heartbeatTimer);
    outbound.streamGone();
  }

  /** Ends everything; returns the channels to await. */
  private List<ManagedChannel> shutdown(String why, boolean graceful) {
    if (closed && current == null) {
      return List.of();
    }
    closed = true;
    LoopTimers.cancel(reconnectTimer);
    SessionStream stream = current;
    outbound.close(graceful ? stream : null);
    if (stream != null) {
      streamGone();
      stream.complete();
    }
    failAllSends(why);
    setState(ConnectionState.CLOSED);
    return channels.shutdownAll();
  }

  private void failAllSends(String why) {
    callbacks.execute(() -> sends.failAll(new ClientClosedException(why)));
  }

  // ---- helpers ----

  private void setState(ConnectionState next) {
    if (state.set(next)) {
      callbacks.execute(() -> Inbound.safely(() -> config.listener().onStateChanged(next)));
    }
  }

  private void report(StreamError error) {
    callbacks.execute(() -> Inbound.safely(() -> config.listener().onError(error)));
  }

  private static StreamError localError(String code, String reason, String message) {
    return StreamError.newBuilder().setCode(code).setReason(reason).setMessage(message).build();
  }

}
