package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import dev.messenger.api.v1.DiscoveryGrpc;
import dev.messenger.api.v1.GetPresenceRequest;
import dev.messenger.api.v1.GetSessionServersRequest;
import dev.messenger.api.v1.HeartbeatRequest;
import dev.messenger.api.v1.PresenceGrpc;
import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Presence of a web user behind the gateway with two session servers: her Subscribe stream lives on one
 * server while every unary Heartbeat lands on the other, and she must stay online for as long as she
 * heartbeats (the review found web users offline after 30 s). Spoken in grpc-web by Armeria's client.
 */
@WithRealInfrastructure
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WebPresenceIT {
  private static WebDeployment web;
  private static final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    // The shipped timings: heartbeat every 15 s, a stream silent for 30 s stops counting, 5 s grace.
    web = WebDeployment.start(endpoints, 2, Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() throws Exception {
    heartbeats.shutdownNow();
    if (web != null) {
      web.close();
    }
  }

  @Test
  void should_keep_a_web_user_online_for_two_minutes_while_her_heartbeats_land_on_the_other_server() {
    List<ServerFrame> frames = new CopyOnWriteArrayList<>();
    grpcWeb("carol", "web").build(SessionGrpc.SessionStub.class)
        .subscribe(SubscribeRequest.getDefaultInstance(), new StreamObserver<>() {
          @Override
          public void onNext(ServerFrame frame) {
            frames.add(frame);
          }

          @Override
          public void onError(Throwable t) {
            frames.add(ServerFrame.getDefaultInstance());
          }

          @Override
          public void onCompleted() {
            frames.add(ServerFrame.getDefaultInstance());
          }
        });
    await().atMost(Duration.ofSeconds(20)).until(() -> frames.stream().anyMatch(ServerFrame::hasCaughtUp));
    // The gateway sends session calls to each server in turn: the stream went to the first server.
    assertThat(web.sessions.get(0).openStreams()).isEqualTo(1);
    assertThat(web.sessions.get(1).openStreams()).isZero();
    int interval = frames.get(0).getWelcome().getHeartbeatIntervalMs();
    assertThat(interval).isEqualTo(15_000);

    // Each round: the Heartbeat (odd call: the second server, which holds no stream of hers), then a
    // Discovery call (even: the first server), so no heartbeat ever reaches the server holding the stream.
    SessionGrpc.SessionBlockingStub session = grpcWeb("carol", "web").build(SessionGrpc.SessionBlockingStub.class);
    DiscoveryGrpc.DiscoveryBlockingStub discovery =
        grpcWeb("carol", "web").build(DiscoveryGrpc.DiscoveryBlockingStub.class);
    AtomicInteger sent = new AtomicInteger();
    heartbeats.scheduleAtFixedRate(() -> {
      session.heartbeat(HeartbeatRequest.newBuilder().setClientTimeMs(System.currentTimeMillis()).build());
      discovery.getSessionServers(GetSessionServersRequest.getDefaultInstance());
      sent.incrementAndGet();
    }, interval, interval, TimeUnit.MILLISECONDS);

    PresenceGrpc.PresenceBlockingStub dave = grpcWeb("dave", "web").build(PresenceGrpc.PresenceBlockingStub.class);
    await().atMost(Duration.ofSeconds(15)).until(() -> carolIs(dave, PresenceState.PRESENCE_STATE_ONLINE));
    await().during(Duration.ofMinutes(2)).atMost(Duration.ofMinutes(2).plusSeconds(10))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> carolIs(dave, PresenceState.PRESENCE_STATE_ONLINE));
    assertThat(sent.get()).as("heartbeats sent in two minutes").isGreaterThanOrEqualTo(7);
    assertThat(frames).as("the stream stayed open").noneMatch(f -> f.getFrameCase() == ServerFrame.FrameCase.FRAME_NOT_SET);
  }

  private static boolean carolIs(PresenceGrpc.PresenceBlockingStub watcher, PresenceState state) {
    return watcher.getPresence(GetPresenceRequest.newBuilder().addUserIds("carol").build())
        .getPresences(0).getState() == state;
  }

  private static GrpcClientBuilder grpcWeb(String user, String device) {
    return GrpcClients.builder("http://127.0.0.1:" + web.gatewayPort())
        .serializationFormat(GrpcSerializationFormats.PROTO_WEB)
        .responseTimeout(Duration.ZERO)
        .addHeader("authorization", "Bearer " + web.token(user, device));
  }
}
