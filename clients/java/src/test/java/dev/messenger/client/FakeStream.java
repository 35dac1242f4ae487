package dev.messenger.client;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.messenger.api.v1.CaughtUp;
import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.Delivery;
import dev.messenger.api.v1.DeliveryAck;
import dev.messenger.api.v1.Hello;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.StreamError;
import dev.messenger.api.v1.Welcome;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The server's side of one Connect call in {@link FakeMessengerServer}. */
final class FakeStream {
  private final ServerCallStreamObserver<ServerFrame> out;
  private final String authorization;
  private final List<ClientFrame> frames = new CopyOnWriteArrayList<>();
  private volatile boolean clientEnded;
  private boolean serverEnded;

  FakeStream(ServerCallStreamObserver<ServerFrame> out, String authorization) {
    this.out = out;
    this.authorization = authorization;
    out.setOnCancelHandler(this::markClientEnded);
  }

  String authorization() {
    return authorization;
  }

  List<ClientFrame> frames() {
    return frames;
  }

  Hello hello() {
    return frames.get(0).getHello();
  }

  List<DeliveryAck> acks() {
    return frames.stream().filter(ClientFrame::hasDeliveryAck).map(ClientFrame::getDeliveryAck).toList();
  }

  List<SendRequest> sends() {
    return frames.stream().filter(ClientFrame::hasSend).map(ClientFrame::getSend).toList();
  }

  long heartbeats() {
    return frames.stream().filter(ClientFrame::hasHeartbeat).count();
  }

  boolean clientEnded() {
    return clientEnded;
  }

  void received(ClientFrame frame) {
    frames.add(frame);
  }

  void markClientEnded() {
    clientEnded = true;
  }

  synchronized boolean isReady() {
    return !serverEnded && out.isReady();
  }

  synchronized void send(ServerFrame frame) {
    if (!serverEnded && !clientEnded) {
      out.onNext(frame);
    }
  }

  FakeStream welcome(int heartbeatIntervalMs) {
    send(ServerFrame.newBuilder()
        .setWelcome(Welcome.newBuilder().setUserId("alice").setDeviceId("phone").setServerId("fake")
            .setHeartbeatIntervalMs(heartbeatIntervalMs))
        .build());
    return this;
  }

  FakeStream welcome() {
    return welcome(60_000);
  }

  FakeStream deliver(String conversationId, long seq) {
    send(ServerFrame.newBuilder()
        .setDelivery(Delivery.newBuilder().setMessage(message(conversationId, seq)))
        .build());
    return this;
  }

  FakeStream deliverRange(String conversationId, long fromSeq, long toSeq) {
    for (long seq = fromSeq; seq <= toSeq; seq++) {
      deliver(conversationId, seq);
    }
    return this;
  }

  FakeStream caughtUp() {
    return caughtUp(0);
  }

  FakeStream caughtUp(long syncedAtMs) {
    send(ServerFrame.newBuilder().setCaughtUp(CaughtUp.newBuilder().setSyncedAtMs(syncedAtMs)).build());
    return this;
  }

  FakeStream ack(SendRequest request, long seq, boolean duplicate) {
    send(ServerFrame.newBuilder()
        .setSendAck(SendAck.newBuilder().setClientMessageId(request.getClientMessageId())
            .setConversationId(request.getConversationId()).setSeq(seq).setDuplicate(duplicate))
        .build());
    return this;
  }

  FakeStream error(StreamError error) {
    send(ServerFrame.newBuilder().setError(error).build());
    return this;
  }

  /** Ends the call normally, as a server does when the client half-closes. */
  synchronized void complete() {
    if (!serverEnded) {
      serverEnded = true;
      out.onCompleted();
    }
  }

  /** Ends the call with a status carrying an ErrorInfo reason, as the real servers do. */
  synchronized void fail(Status.Code code, String reason) {
    fail(code, reason, java.time.Duration.ZERO);
  }

  /** Ends the stream with an error status carrying a RetryInfo delay when {@code retryAfter} is not zero. */
  synchronized void fail(Status.Code code, String reason, java.time.Duration retryAfter) {
    if (serverEnded) {
      return;
    }
    serverEnded = true;
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage("test says " + reason)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain("messenger").build()));
    if (!retryAfter.isZero()) {
      status.addDetails(Any.pack(com.google.rpc.RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration
          .newBuilder().setSeconds(retryAfter.getSeconds()).setNanos(retryAfter.getNano())).build()));
    }
    out.onError(StatusProto.toStatusRuntimeException(status.build()));
  }

  static Message message(String conversationId, long seq) {
    return Message.newBuilder()
        .setConversationId(conversationId)
        .setSeq(seq)
        .setMessageId("m-" + conversationId + "-" + seq)
        .setSenderUserId("bob")
        .setSenderDeviceId("laptop")
        .setBody("message " + seq)
        .build();
  }
}
