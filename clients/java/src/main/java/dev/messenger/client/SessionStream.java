package dev.messenger.client;

import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.ServerFrame;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Connect call. Inbound flow control is manual: the call starts with a window of {@code window}
 * frames and asks for one more only when a frame is fully processed ({@link #processed()}), so a slow
 * listener slows the server down instead of filling memory. Outbound writes happen on the event loop only,
 * and only while {@link #isReady()} (except the Hello). gRPC callbacks are forwarded to the event loop.
 */
final class SessionStream implements ClientResponseObserver<ClientFrame, ServerFrame> {
  /** What the stream reports, always on the event loop. */
  interface Events {
    void onFrame(SessionStream stream, ServerFrame frame);

    void onReady(SessionStream stream);

    /** The call ended; {@code error} is null when the server completed it normally. */
    void onEnd(SessionStream stream, Throwable error);
  }

  private final long id;
  private final String target;
  private final int window;
  private final Executor loop;
  private final Events events;
  private final Clock clock;
  private final AtomicInteger unprocessed = new AtomicInteger();
  private final AtomicInteger backlog;
  private volatile long lastActivityMillis;
  private ClientCallStreamObserver<ClientFrame> requests;
  private boolean welcomed;
  private boolean finished;

  /** {@code backlog} counts unprocessed frames of all the client's streams together. */
  SessionStream(
      long id, String target, int window, Executor loop, Events events, Clock clock, AtomicInteger backlog) {
    this.id = id;
    this.backlog = backlog;
    this.target = target;
    this.window = window;
    this.loop = loop;
    this.events = events;
    this.clock = clock;
    this.lastActivityMillis = clock.millis();
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ClientFrame> requestStream) {
    this.requests = requestStream;
    requestStream.disableAutoRequestWithInitial(window);
    requestStream.setOnReadyHandler(() -> loop.execute(() -> events.onReady(this)));
  }

  @Override
  public void onNext(ServerFrame frame) {
    unprocessed.incrementAndGet();
    backlog.incrementAndGet();
    lastActivityMillis = clock.millis();
    loop.execute(() -> events.onFrame(this, frame));
  }

  @Override
  public void onError(Throwable error) {
    loop.execute(() -> events.onEnd(this, error));
  }

  @Override
  public void onCompleted() {
    loop.execute(() -> events.onEnd(this, null));
  }

  /** A received frame is fully processed: ask the server for one more. Any thread. */
  void processed() {
    discarded();
    requests.request(1);
  }

  /** A received frame will not be processed (its stream was abandoned). Any thread. */
  void discarded() {
    unprocessed.decrementAndGet();
    backlog.decrementAndGet();
    lastActivityMillis = clock.millis();
  }

  /** True while received frames wait for processing (the server is then held back by us, not dead). */
  boolean busy() {
    return unprocessed.get() > 0;
  }

  /** Milliseconds since a frame arrived or finished processing. */
  long idleMillis() {
    return clock.millis() - lastActivityMillis;
  }

  boolean isReady() {
    return !finished && requests.isReady();
  }

  /** Writes a frame. Event loop only. */
  void write(ClientFrame frame) {
    if (!finished) {
      requests.onNext(frame);
    }
  }

  /** Ends the call from our side with CANCELLED. Event loop only. */
  void cancel(String why) {
    if (!finished) {
      finished = true;
      requests.cancel(why, null);
    }
  }

  /** Half-closes gracefully (on client close). Event loop only. */
  void complete() {
    if (!finished) {
      finished = true;
      requests.onCompleted();
    }
  }

  /** The call ended from the server's side. Event loop only. */
  void ended() {
    finished = true;
  }

  boolean welcomed() {
    return welcomed;
  }

  void markWelcomed() {
    welcomed = true;
  }

  long id() {
    return id;
  }

  String target() {
    return target;
  }
}
