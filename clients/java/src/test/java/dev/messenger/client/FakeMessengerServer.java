package dev.messenger.client;

import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.DiscoveryGrpc;
import dev.messenger.api.v1.GetSessionServersRequest;
import dev.messenger.api.v1.GetSessionServersResponse;
import dev.messenger.api.v1.HeartbeatAck;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.api.v1.SessionServer;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-process Session + Discovery server that records what clients send and lets a test script what
 * they receive, one {@link FakeStream} per Connect call.
 */
final class FakeMessengerServer implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> TOKEN = Context.key("test-authorization");

  private final String name;
  private final Server server;
  private final List<FakeStream> streams = new CopyOnWriteArrayList<>();
  private final AtomicInteger discoveryCalls = new AtomicInteger();
  private final List<String> discoveryTokens = new CopyOnWriteArrayList<>();
  private volatile List<SessionServer> discoveryAnswer = List.of();
  private volatile Status discoveryFailure;
  private volatile Consumer<FakeStream> onHello = stream -> {};
  private volatile boolean answerHeartbeats = true;

  /** An in-process server registered under {@code name}. */
  FakeMessengerServer(String name) {
    this(name, InProcessServerBuilder.forName(name));
  }

  private FakeMessengerServer(String name, ServerBuilder<?> builder) {
    ServerInterceptor captureToken = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String header = headers.get(AUTHORIZATION);
        Context context = Context.current().withValue(TOKEN, header == null ? "" : header);
        return Contexts.interceptCall(context, call, headers, next);
      }
    };
    try {
      this.server = builder
          .addService(ServerInterceptors.intercept(new SessionService(), captureToken))
          .addService(ServerInterceptors.intercept(new DiscoveryService(), captureToken))
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.name = name != null ? name : "127.0.0.1:" + server.getPort();
  }

  /** A real (Netty, plaintext) server on a free loopback port; its name is its "host:port". */
  static FakeMessengerServer onLoopback() {
    return new FakeMessengerServer(null,
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
  }

  /** As {@link #onLoopback} but serving TLS only, with this PEM certificate chain and private key. */
  static FakeMessengerServer onLoopbackTls(java.nio.file.Path certificateChain, java.nio.file.Path key)
      throws javax.net.ssl.SSLException {
    return new FakeMessengerServer(null,
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sslContext(io.grpc.netty.GrpcSslContexts.forServer(certificateChain.toFile(), key.toFile()).build()));
  }

  String name() {
    return name;
  }

  List<FakeStream> streams() {
    return streams;
  }

  FakeStream stream(int index) {
    return streams.get(index);
  }

  FakeStream last() {
    return streams.get(streams.size() - 1);
  }

  int discoveryCalls() {
    return discoveryCalls.get();
  }

  /** The authorization header of each discovery call ("" when there was none). */
  List<String> discoveryTokens() {
    return discoveryTokens;
  }

  void answerDiscovery(List<SessionServer> servers) {
    this.discoveryAnswer = List.copyOf(servers);
  }

  void failDiscovery(Status status) {
    this.discoveryFailure = status;
  }

  /** Runs for every stream once its first frame has arrived (e.g. to send Welcome at once). */
  void onHello(Consumer<FakeStream> action) {
    this.onHello = action;
  }

  /** Whether HeartbeatRequests get a HeartbeatAck (default true); false simulates a hung server. */
  void answerHeartbeats(boolean answer) {
    this.answerHeartbeats = answer;
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class SessionService extends SessionGrpc.SessionImplBase {
    @Override
    public StreamObserver<ClientFrame> connect(StreamObserver<ServerFrame> responseObserver) {
      FakeStream stream =
          new FakeStream((ServerCallStreamObserver<ServerFrame>) responseObserver, TOKEN.get());
      streams.add(stream);
      return new StreamObserver<>() {
        @Override
        public void onNext(ClientFrame frame) {
          stream.received(frame);
          if (stream.frames().size() == 1) {
            onHello.accept(stream);
          }
          if (frame.hasHeartbeat() && answerHeartbeats) {
            stream.send(ServerFrame.newBuilder()
                .setHeartbeatAck(HeartbeatAck.newBuilder()
                    .setClientTimeMs(frame.getHeartbeat().getClientTimeMs())
                    .setServerTimeMs(System.currentTimeMillis()))
                .build());
          }
        }

        @Override
        public void onError(Throwable error) {
          stream.markClientEnded();
        }

        @Override
        public void onCompleted() {
          stream.markClientEnded();
          stream.complete();
        }
      };
    }
  }

  private final class DiscoveryService extends DiscoveryGrpc.DiscoveryImplBase {
    @Override
    public void getSessionServers(
        GetSessionServersRequest request, StreamObserver<GetSessionServersResponse> observer) {
      discoveryCalls.incrementAndGet();
      discoveryTokens.add(TOKEN.get());
      Status failure = discoveryFailure;
      if (failure != null) {
        observer.onError(failure.asRuntimeException());
        return;
      }
      observer.onNext(GetSessionServersResponse.newBuilder().addAllServers(discoveryAnswer).build());
      observer.onCompleted();
    }
  }
}
