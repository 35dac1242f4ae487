package dev.messenger.webgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import dev.messenger.api.v1.HeartbeatRequest;
import dev.messenger.api.v1.HeartbeatResponse;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.api.v1.Welcome;
import dev.messenger.common.auth.DevDefaults;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.server.GrpcServers;
import dev.messenger.common.server.ServerTls;
import dev.messenger.launcher.LocalCertificates;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** grpc-web through the gateway to real grpc-java servers on loopback, spoken by Armeria's grpc-web client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebGatewayTest {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final List<Server> backends = new ArrayList<>();
  private final List<String> seenAuthorization = new CopyOnWriteArrayList<>();
  private WebGateway gateway;

  @TempDir
  Path webRoot;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    backends.forEach(Server::shutdownNow);
  }

  @Test
  void should_forward_unary_calls_with_the_callers_authorization_to_each_session_server_in_turn()
      throws Exception {
    String first = startSessionBackend("s1");
    String second = startSessionBackend("s2");
    gateway = WebGateway.start(config(List.of(first, second), "a-production-key-of-at-least-32-bytes!!"));

    SessionGrpc.SessionBlockingStub stub = grpcWeb().build(SessionGrpc.SessionBlockingStub.class);
    List<Long> servedBy = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      HeartbeatResponse response = stub.heartbeat(HeartbeatRequest.newBuilder().setClientTimeMs(i).build());
      assertThat(response.getClientTimeMs()).isEqualTo(i);
      servedBy.add(response.getServerTimeMs());
    }
    assertThat(servedBy).containsExactly(1L, 2L, 1L, 2L);
    assertThat(seenAuthorization).hasSize(4).allMatch("Bearer web-token"::equals);
  }

  @Test
  void should_stream_every_frame_of_a_server_streaming_call() throws Exception {
    gateway = WebGateway.start(config(List.of(startSessionBackend("s1")), "a-production-key-of-at-least-32-bytes!!"));

    List<ServerFrame> frames = new ArrayList<>();
    grpcWeb().build(SessionGrpc.SessionBlockingStub.class)
        .subscribe(SubscribeRequest.getDefaultInstance())
        .forEachRemaining(frames::add);

    assertThat(frames).hasSize(3).allMatch(ServerFrame::hasWelcome);
    assertThat(frames).extracting(f -> f.getWelcome().getServerId()).containsExactly("s1-0", "s1-1", "s1-2");
  }

  @Test
  void should_pass_the_status_and_its_error_details_back_unchanged() throws Exception {
    gateway = WebGateway.start(config(List.of(startSessionBackend("s1")), "a-production-key-of-at-least-32-bytes!!"));

    SessionGrpc.SessionBlockingStub stub = grpcWeb().build(SessionGrpc.SessionBlockingStub.class);
    assertThatThrownBy(() -> stub.send(SendRequest.newBuilder().setBody("x".repeat(100_001)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(ApiErrors.reasonOf(e)).isEqualTo("BODY_TOO_LONG");
        });
  }

  @Test
  void should_mint_development_tokens_only_while_the_development_key_signs_them() throws Exception {
    String backend = startSessionBackend("s1");
    gateway = WebGateway.start(config(List.of(backend), DevDefaults.TOKEN_KEY));
    AggregatedHttpResponse minted = web().post("/dev/token?user=alice&device=web", "").aggregate().join();
    assertThat(minted.status()).isEqualTo(HttpStatus.OK);
    String token = minted.contentUtf8().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    assertThat(new Tokens(DevDefaults.TOKEN_KEY, Clock.systemUTC()).verify(token))
        .hasValueSatisfying(p -> assertThat(p.userId() + "/" + p.deviceId()).isEqualTo("alice/web"));
    assertThat(web().post("/dev/token?user=not%20valid&device=web", "").aggregate().join().status())
        .isEqualTo(HttpStatus.BAD_REQUEST);
    gateway.close();

    gateway = WebGateway.start(config(List.of(backend), "a-production-key-of-at-least-32-bytes!!"));
    assertThat(web().post("/dev/token?user=alice&device=web", "").aggregate().join().status().code())
        .isNotEqualTo(200);
  }

  @Test
  void should_reach_backends_that_serve_tls_only_trusting_the_configured_ca(@TempDir Path tls) throws Exception {
    LocalCertificates certificates = LocalCertificates.create(tls);
    String backend = startSessionBackend("s1", GrpcServers.netty("127.0.0.1", 0,
        Optional.of(ServerTls.of(certificates.serverCertificateChain(), certificates.serverKey()))));
    WebGatewayConfig plaintext = config(List.of(backend), "a-production-key-of-at-least-32-bytes!!");
    gateway = WebGateway.start(new WebGatewayConfig(plaintext.host(), 0, webRoot, List.of(backend), backend,
        backend, backend, plaintext.tokenKey(), Optional.of(certificates.caCertificate())));

    HeartbeatResponse response = grpcWeb().build(SessionGrpc.SessionBlockingStub.class)
        .heartbeat(HeartbeatRequest.newBuilder().setClientTimeMs(7).build());

    assertThat(response.getClientTimeMs()).isEqualTo(7);
    assertThat(seenAuthorization).containsExactly("Bearer web-token");
  }

  @Test
  void should_serve_the_web_apps_files() throws Exception {
    Files.writeString(webRoot.resolve("index.html"), "<!doctype html><title>messenger</title>");
    gateway = WebGateway.start(config(List.of(startSessionBackend("s1")), "a-production-key-of-at-least-32-bytes!!"));
    AggregatedHttpResponse page = web().get("/").aggregate().join();
    assertThat(page.status()).isEqualTo(HttpStatus.OK);
    assertThat(page.contentUtf8()).contains("<title>messenger</title>");
  }

  private WebGatewayConfig config(List<String> sessions, String tokenKey) {
    return new WebGatewayConfig("127.0.0.1", 0, webRoot, sessions, sessions.get(0), sessions.get(0),
        sessions.get(0), dev.messenger.common.auth.TokenKeys.of(tokenKey));
  }

  private WebClient web() {
    return WebClient.of("http://127.0.0.1:" + gateway.port());
  }

  private com.linecorp.armeria.client.grpc.GrpcClientBuilder grpcWeb() {
    return GrpcClients.builder("http://127.0.0.1:" + gateway.port())
        .serializationFormat(GrpcSerializationFormats.PROTO_WEB)
        .addHeader("authorization", "Bearer web-token");
  }

  /** A session server stand-in: heartbeats answer with its number, Subscribe streams three frames. */
  private String startSessionBackend(String name) throws Exception {
    return startSessionBackend(name, NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)));
  }

  private String startSessionBackend(String name, NettyServerBuilder builder) throws Exception {
    long number = backends.size() + 1;
    SessionGrpc.SessionImplBase impl = new SessionGrpc.SessionImplBase() {
      @Override
      public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> out) {
        out.onNext(HeartbeatResponse.newBuilder().setClientTimeMs(request.getClientTimeMs())
            .setServerTimeMs(number).build());
        out.onCompleted();
      }

      @Override
      public void subscribe(SubscribeRequest request, StreamObserver<ServerFrame> out) {
        for (int i = 0; i < 3; i++) {
          out.onNext(ServerFrame.newBuilder().setWelcome(Welcome.newBuilder().setServerId(name + "-" + i)).build());
        }
        out.onCompleted();
      }

      @Override
      public void send(SendRequest request, StreamObserver<SendAck> out) {
        out.onError(ApiErrors.invalidArgument("BODY_TOO_LONG", "too long"));
      }
    };
    ServerInterceptor recordAuthorization = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String value = headers.get(AUTHORIZATION);
        seenAuthorization.add(value == null ? "" : value);
        return next.startCall(call, headers);
      }
    };
    Server server = builder
        .addService(ServerInterceptors.intercept(impl, recordAuthorization))
        .build()
        .start();
    backends.add(server);
    return "127.0.0.1:" + server.getPort();
  }
}
