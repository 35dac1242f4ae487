package dev.messenger.session;

import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.DeliveryAck;
import dev.messenger.api.v1.DeliveryAckResponse;
import dev.messenger.api.v1.HeartbeatRequest;
import dev.messenger.api.v1.HeartbeatResponse;
import dev.messenger.api.v1.ReadMarker;
import dev.messenger.api.v1.ReadMarkerResponse;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.api.v1.Typing;
import dev.messenger.api.v1.TypingResponse;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.auth.Principal;
import dev.messenger.presence.client.PresenceReporter;
import dev.messenger.presence.store.PresenceAudience;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** The Session gRPC service: Connect for apps; Subscribe and unary calls for web clients. */
final class SessionService extends SessionGrpc.SessionImplBase {
  private final StreamFactory streams;
  private final SessionActions actions;
  private final SessionStore store;
  private final LocalStreams localStreams;
  private final PresenceReporter presence;
  private final PresenceAudience audience;
  private final Clock clock;
  private final int sendWindow;
  /** Web clients call SetTyping per keystroke, like apps send frames: windowed the same way, per device. */
  private final TypingWindow typingWindow = TypingWindow.perServer(System::nanoTime);

  SessionService(StreamFactory streams, SessionActions actions, SessionStore store, LocalStreams localStreams,
      PresenceReporter presence, PresenceAudience audience, Clock clock, int sendWindow) {
    this.streams = streams;
    this.actions = actions;
    this.store = store;
    this.localStreams = localStreams;
    this.presence = presence;
    this.audience = audience;
    this.clock = clock;
    this.sendWindow = sendWindow;
  }

  @Override
  public StreamObserver<ClientFrame> connect(StreamObserver<ServerFrame> responseObserver) {
    ServerCallStreamObserver<ServerFrame> out = (ServerCallStreamObserver<ServerFrame>) responseObserver;
    out.disableAutoRequest();
    ConnectHandler handler = new ConnectHandler(Principal.current(), out, streams, actions, presence, audience,
        clock, sendWindow);
    out.setOnReadyHandler(handler::onReady);
    out.setOnCancelHandler(() -> handler.onError(null));
    out.request(1);
    return handler;
  }

  @Override
  public void subscribe(SubscribeRequest request, StreamObserver<ServerFrame> responseObserver) {
    ServerCallStreamObserver<ServerFrame> out = (ServerCallStreamObserver<ServerFrame>) responseObserver;
    DeviceStream[] holder = new DeviceStream[1];
    out.setOnReadyHandler(() -> {
      if (holder[0] != null) {
        holder[0].drain();
      }
    });
    out.setOnCancelHandler(() -> {
      if (holder[0] != null) {
        holder[0].cancelled();
      }
    });
    holder[0] = streams.open(Principal.current(), out, request.getResume());
  }

  @Override
  public void send(SendRequest request, StreamObserver<SendAck> responseObserver) {
    reply(actions.send(Principal.current(), request), () -> null, responseObserver, true);
  }

  @Override
  public void ackDelivery(DeliveryAck request, StreamObserver<DeliveryAckResponse> responseObserver) {
    Principal caller = Principal.current();
    actions.admitReceipt(caller);
    long deliveredHere = deliveredHere(caller, request.getConversationId());
    CompletionStage<Void> done;
    try {
      done = store.readState(caller.userId(), ConversationIds.fromRequest(request.getConversationId()))
          .thenCompose(state -> actions.deliveryAck(caller, request, Math.max(state.lastSeq(), deliveredHere)));
    } catch (StatusRuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    reply(done, DeliveryAckResponse::getDefaultInstance, responseObserver, false);
  }

  @Override
  public void markRead(ReadMarker request, StreamObserver<ReadMarkerResponse> responseObserver) {
    Principal caller = Principal.current();
    reply(actions.read(caller, request, deliveredHere(caller, request.getConversationId())),
        ReadMarkerResponse::getDefaultInstance, responseObserver, false);
  }

  /** What this server's stream of the caller's device has delivered (live delivery precedes history). */
  private long deliveredHere(Principal caller, String conversationId) {
    return localStreams.find(caller.userId(), caller.deviceId()).map(s -> s.sentSeq(conversationId)).orElse(0L);
  }

  @Override
  public void setTyping(Typing request, StreamObserver<TypingResponse> responseObserver) {
    Principal caller = Principal.current();
    String key = TypingWindow.deviceKey(caller.userId(), caller.deviceId(), request.getConversationId());
    reply(actions.typing(caller, request, () -> typingWindow.admit(key, request.getTyping())),
        TypingResponse::getDefaultInstance, responseObserver, false);
  }

  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> responseObserver) {
    Principal caller = Principal.current();
    // A web device's calls may land on any server: the one holding its stream must hear of this one.
    localStreams.find(caller.userId(), caller.deviceId()).ifPresentOrElse(
        stream -> presence.heartbeat(caller.userId(), stream.streamId()),
        () -> actions.relayHeartbeat(caller));
    responseObserver.onNext(HeartbeatResponse.newBuilder()
        .setClientTimeMs(request.getClientTimeMs())
        .setServerTimeMs(clock.millis())
        .build());
    responseObserver.onCompleted();
  }

  @SuppressWarnings("unchecked")
  private static <T> void reply(CompletionStage<?> result, Supplier<T> response, StreamObserver<T> observer,
      boolean useResult) {
    result.whenComplete((value, error) -> {
      if (error != null) {
        observer.onError(ConnectHandler.unwrap(error));
      } else {
        observer.onNext(useResult ? (T) value : response.get());
        observer.onCompleted();
      }
    });
  }
}
