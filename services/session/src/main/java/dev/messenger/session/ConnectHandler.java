package dev.messenger.session;

import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.HeartbeatAck;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.StreamError;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.server.GrpcServers;
import dev.messenger.common.server.MessageSizeLimit;
import dev.messenger.presence.client.PresenceReporter;
import dev.messenger.presence.store.PresenceAudience;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The inbound side of one Connect stream. Reads frames with manual flow control: the next frame is
 * requested once the previous one is handled, except sends, of which up to a window may be in flight at
 * once so a device can pipeline. Request errors go back as StreamError frames; the stream goes on.
 */
final class ConnectHandler implements StreamObserver<ClientFrame> {
  private final Principal principal;
  private final ServerCallStreamObserver<ServerFrame> out;
  private final StreamFactory streams;
  private final SessionActions actions;
  private final PresenceReporter presence;
  private final StreamPresenceWatches watches;
  private final Clock clock;
  private final int sendWindow;
  private final SendOrder sendOrder = SendOrder.systemClock();
  private final DeliveryAckWindow ackWindow;
  private final TypingWindow typingWindow = TypingWindow.perStream(System::nanoTime);
  private volatile DeviceStream stream;
  private int sendsInFlight;
  private boolean waitingForWindow;

  ConnectHandler(Principal principal, ServerCallStreamObserver<ServerFrame> out, StreamFactory streams,
      SessionActions actions, PresenceReporter presence, PresenceAudience audience, Clock clock, int sendWindow) {
    this.principal = principal;
    this.out = out;
    this.streams = streams;
    this.actions = actions;
    this.presence = presence;
    this.watches = new StreamPresenceWatches(principal, presence, audience);
    this.clock = clock;
    this.sendWindow = sendWindow;
    this.ackWindow = actions.ackWindow(principal);
  }

  @Override
  public void onNext(ClientFrame frame) {
    if (frame.getSerializedSize() > GrpcServers.MAX_INBOUND_MESSAGE_BYTES) {
      refuseOversized(frame);
      return;
    }
    if (stream == null) {
      if (!frame.hasHello()) {
        out.onError(ApiErrors.failedPrecondition("HELLO_REQUIRED", "the first frame must be a Hello"));
        return;
      }
      stream = streams.open(principal, out, frame.getHello().getResume());
      out.request(1);
      return;
    }
    switch (frame.getFrameCase()) {
      case HELLO -> {
        stream.close(ApiErrors.failedPrecondition("DUPLICATE_HELLO", "Hello may only be the first frame"));
        return;
      }
      case SEND -> {
        onSend(frame);
        return;
      }
      case DELIVERY_ACK -> reportErrors(actions.deliveryAck(principal, frame.getDeliveryAck(), stream, ackWindow), "");
      case READ -> reportErrors(
          actions.read(principal, frame.getRead(), stream.sentSeq(frame.getRead().getConversationId())), "");
      case TYPING -> {
        if (typingWindow.admit(frame.getTyping().getConversationId(), frame.getTyping().getTyping())) {
          reportErrors(actions.typing(principal, frame.getTyping()), "");
        }
      }
      case HEARTBEAT -> {
        presence.heartbeat(principal.userId(), stream.streamId());
        stream.send(ServerFrame.newBuilder().setHeartbeatAck(HeartbeatAck.newBuilder()
          .setClientTimeMs(frame.getHeartbeat().getClientTimeMs())
          .setServerTimeMs(clock.millis())).build());
      }
      case PRESENCE_WATCH -> {
        try {
          actions.admitWatch(principal);
          watches.apply(stream, frame.getPresenceWatch());
        } catch (StatusRuntimeException e) {
          stream.send(errorFrame(e, ""));
        }
      }
      default -> stream.send(errorFrame(ApiErrors.invalidArgument("EMPTY_FRAME", "the frame has no content"), ""));
    }
    out.request(1);
  }

  /** One frame over the limit is refused alone (a send by its id); the stream goes on. */
  private void refuseOversized(ClientFrame frame) {
    StatusRuntimeException error = MessageSizeLimit.tooLarge(GrpcServers.MAX_INBOUND_MESSAGE_BYTES);
    if (stream == null) {
      out.onError(error);
      return;
    }
    stream.send(errorFrame(error, frame.hasSend() ? frame.getSend().getClientMessageId() : ""));
    out.request(1);
  }

  private void onSend(ClientFrame frame) {
    String clientId = frame.getSend().getClientMessageId();
    synchronized (this) {
      sendsInFlight++;
    }
    actions.send(principal, frame.getSend(), sendOrder).whenComplete((ack, error) -> {
      if (error == null) {
        stream.send(ServerFrame.newBuilder().setSendAck(ack).build());
      } else {
        stream.send(errorFrame(unwrap(error), clientId));
      }
      boolean requestMore;
      synchronized (this) {
        sendsInFlight--;
        requestMore = waitingForWindow;
        waitingForWindow = false;
      }
      if (requestMore) {
        out.request(1);
      }
    });
    boolean requestNow;
    synchronized (this) {
      requestNow = sendsInFlight < sendWindow;
      waitingForWindow = !requestNow;
    }
    if (requestNow) {
      out.request(1);
    }
  }

  private void reportErrors(CompletionStage<Void> action, String clientId) {
    action.whenComplete((ignored, error) -> {
      if (error != null) {
        stream.send(errorFrame(unwrap(error), clientId));
      }
    });
  }

  /** gRPC's onReady for this call (handlers must be set before the stream has a DeviceStream). */
  void onReady() {
    DeviceStream current = stream;
    if (current != null) {
      current.drain();
    }
  }

  @Override
  public void onError(Throwable t) {
    if (stream != null) {
      stream.cancelled();
    }
  }

  @Override
  public void onCompleted() {
    if (stream != null) {
      stream.complete();
    } else {
      out.onCompleted();
    }
  }

  static StatusRuntimeException unwrap(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return ApiErrors.toClientError(cause);
  }

  static ServerFrame errorFrame(StatusRuntimeException error, String clientId) {
    return ServerFrame.newBuilder().setError(StreamError.newBuilder()
        .setCode(error.getStatus().getCode().name())
        .setReason(ApiErrors.reasonOf(error))
        .setMessage(error.getStatus().getDescription() == null ? "" : error.getStatus().getDescription())
        .setRetryAfterMs((int) Math.min(Integer.MAX_VALUE, ApiErrors.retryAfterMillisOf(error)))
        .setClientMessageId(clientId)).build();
  }

}
