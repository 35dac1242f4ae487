package dev.messenger.common.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.HeartbeatAck;
import dev.messenger.api.v1.HeartbeatRequest;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LateRequestParsingTest {
  private static final SessionGrpc.SessionImplBase ECHO_HEARTBEATS = new SessionGrpc.SessionImplBase() {
    @Override
    public StreamObserver<ClientFrame> connect(StreamObserver<ServerFrame> frames) {
      return new StreamObserver<>() {
        @Override
        public void onNext(ClientFrame frame) {
          frames.onNext(ServerFrame.newBuilder()
              .setHeartbeatAck(HeartbeatAck.newBuilder().setClientTimeMs(frame.getHeartbeat().getClientTimeMs()))
              .build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          frames.onCompleted();
        }
      };
    }
  };

  @Test
  void should_hand_raw_requests_outside_and_keep_the_services_own_response_marshaller() throws Exception {
    ServerServiceDefinition typed = ECHO_HEARTBEATS.bindService();
    ServerServiceDefinition wrapped = LateRequestParsing.wrap(typed);

    assertThat(wrapped.getServiceDescriptor().getSchemaDescriptor())
        .isSameAs(typed.getServiceDescriptor().getSchemaDescriptor());
    assertThat(wrapped.getMethods()).hasSameSizeAs(typed.getMethods());
    for (ServerMethodDefinition<?, ?> method : wrapped.getMethods()) {
      MethodDescriptor<?, ?> original = typed.getMethod(method.getMethodDescriptor().getFullMethodName())
          .getMethodDescriptor();
      // Responses go out as the service's protobuf messages, never through a stream and back.
      assertThat(method.getMethodDescriptor().getResponseMarshaller()).isSameAs(original.getResponseMarshaller());
      InputStream bytes = new ByteArrayInputStream(new byte[] {1});
      assertThat(method.getMethodDescriptor().getRequestMarshaller().parse(bytes)).isSameAs(bytes);
    }
  }

  @Test
  void should_carry_a_stream_both_ways_with_typed_requests_inside() throws Exception {
    List<Object> seenInside = new CopyOnWriteArrayList<>();
    ServerInterceptor inside = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
          @Override
          public void onMessage(Q message) {
            seenInside.add(message);
            super.onMessage(message);
          }
        };
      }
    };
    String name = InProcessServerBuilder.generateName();
    ServiceServer server = ServiceServer.start(InProcessServerBuilder.forName(name),
        List.of(ECHO_HEARTBEATS), List.of(inside), new PrometheusRegistry());
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    try {
      LinkedBlockingQueue<ServerFrame> received = new LinkedBlockingQueue<>();
      StreamObserver<ClientFrame> frames = SessionGrpc.newStub(channel).connect(new StreamObserver<>() {
        @Override
        public void onNext(ServerFrame frame) {
          received.add(frame);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      });
      for (long clientTime = 1; clientTime <= 3; clientTime++) {
        frames.onNext(ClientFrame.newBuilder().setHeartbeat(HeartbeatRequest.newBuilder().setClientTimeMs(clientTime)).build());
      }
      for (long clientTime = 1; clientTime <= 3; clientTime++) {
        assertThat(received.poll(5, TimeUnit.SECONDS).getHeartbeatAck().getClientTimeMs()).isEqualTo(clientTime);
      }
      frames.onCompleted();
      assertThat(seenInside).hasSize(3).allSatisfy(m -> assertThat(m).isInstanceOf(ClientFrame.class));
    } finally {
      channel.shutdownNow();
      server.close();
    }
  }
}
