package dev.messenger.systemtests.messaging;

import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.Hello;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A bare Connect stream for tests that need to misbehave on purpose (never read, send bad frames): no
 * client library, just the generated stub with manual flow control.
 */
final class RawSession implements AutoCloseable {
  final ManagedChannel channel;
  final List<ServerFrame> frames = new CopyOnWriteArrayList<>();
  final CompletableFuture<Status> closed = new CompletableFuture<>();
  volatile Throwable error;
  private ClientCallStreamObserver<ClientFrame> requests;

  private RawSession(ManagedChannel channel) {
    this.channel = channel;
  }

  static ManagedChannel channel(String address, int flowControlWindow) {
    return NettyChannelBuilder.forTarget(address).usePlaintext().flowControlWindow(flowControlWindow).build();
  }

  static Metadata bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return headers;
  }

  /** Opens Connect; {@code initialRequests} frames may arrive before the test asks for more. */
  static RawSession connect(String address, String token, int initialRequests, int flowControlWindow) {
    RawSession session = new RawSession(channel(address, flowControlWindow));
    SessionGrpc.newStub(session.channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)))
        .connect(new ClientResponseObserver<ClientFrame, ServerFrame>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<ClientFrame> requestStream) {
            session.requests = requestStream;
            requestStream.disableAutoRequestWithInitial(initialRequests);
          }

          @Override
          public void onNext(ServerFrame frame) {
            session.frames.add(frame);
          }

          @Override
          public void onError(Throwable t) {
            session.error = t;
            session.closed.complete(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            session.closed.complete(Status.OK);
          }
        });
    return session;
  }

  RawSession hello() {
    return send(ClientFrame.newBuilder().setHello(Hello.getDefaultInstance()).build());
  }

  RawSession send(ClientFrame frame) {
    requests.onNext(frame);
    return this;
  }

  RawSession send(dev.messenger.api.v1.SendRequest.Builder request) {
    return send(ClientFrame.newBuilder().setSend(request).build());
  }

  void request(int frames) {
    requests.request(frames);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
