package dev.messenger.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.common.server.ServiceServer;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GrpcMetricsInterceptorTest {
  private static final String SEND = "messenger.v1.Session/Send";
  private static final String SUBSCRIBE = "messenger.v1.Session/Subscribe";
  private static final String CONNECT = "messenger.v1.Session/Connect";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final String name = InProcessServerBuilder.generateName();
  private final ServiceServer server = ServiceServer.start(InProcessServerBuilder.forName(name).directExecutor(),
      List.of(new OneFrameSession()), List.of(), registry);
  private final ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void should_time_streams_apart_from_unary_calls_with_buckets_up_to_a_week() throws Exception {
    SessionGrpc.newBlockingStub(channel).send(SendRequest.getDefaultInstance());
    SessionGrpc.newBlockingStub(channel).subscribe(SubscribeRequest.getDefaultInstance()).forEachRemaining(f -> {});

    String scraped = Scrape.of(registry);

    assertThat(scraped)
        .contains("messenger_grpc_server_call_duration_seconds_count{method=\"" + SEND + "\"} 1")
        .doesNotContain("messenger_grpc_server_call_duration_seconds_count{method=\"" + SUBSCRIBE + "\"}")
        .contains("messenger_grpc_server_stream_duration_seconds_count{method=\"" + SUBSCRIBE + "\"} 1")
        .doesNotContain("messenger_grpc_server_stream_duration_seconds_count{method=\"" + SEND + "\"}");
    assertThat(scraped.lines().filter(l -> l.startsWith("messenger_grpc_server_stream_duration_seconds_bucket")))
        .as("a blip, minutes, an hour, a day and a week are told apart")
        .anyMatch(l -> l.contains("le=\"1.0\""))
        .anyMatch(l -> l.contains("le=\"300.0\""))
        .anyMatch(l -> l.contains("le=\"3600.0\""))
        .anyMatch(l -> l.contains("le=\"86400.0\""))
        .anyMatch(l -> l.contains("le=\"604800.0\""));
    assertThat(scraped).contains("messenger_grpc_server_calls_total{code=\"OK\",method=\"" + SUBSCRIBE + "\"} 1");
  }

  @Test
  void should_count_and_time_a_stream_the_client_cancelled() throws Exception {
    StreamObserver<ClientFrame> requests = SessionGrpc.newStub(channel).connect(new Ignored<>());
    ((ClientCallStreamObserver<ClientFrame>) requests).cancel("the app went away", null);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Scrape.of(registry))
        .contains("messenger_grpc_server_calls_total{code=\"CANCELLED\",method=\"" + CONNECT + "\"} 1")
        .contains("messenger_grpc_server_stream_duration_seconds_count{method=\"" + CONNECT + "\"} 1"));
  }

  /** Answers a send at once and a subscription with one frame, then ends it; a Connect stream stays open. */
  private static final class OneFrameSession extends SessionGrpc.SessionImplBase {
    @Override
    public void send(SendRequest request, StreamObserver<SendAck> responses) {
      responses.onNext(SendAck.getDefaultInstance());
      responses.onCompleted();
    }

    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<ServerFrame> frames) {
      frames.onNext(ServerFrame.getDefaultInstance());
      frames.onCompleted();
    }

    @Override
    public StreamObserver<ClientFrame> connect(StreamObserver<ServerFrame> frames) {
      return new Ignored<>();
    }
  }

  private static final class Ignored<T> implements StreamObserver<T> {
    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
