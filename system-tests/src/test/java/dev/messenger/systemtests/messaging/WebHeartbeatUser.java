package dev.messenger.systemtests.messaging;

import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import dev.messenger.api.v1.DiscoveryGrpc;
import dev.messenger.api.v1.GetPresenceRequest;
import dev.messenger.api.v1.GetSessionServersRequest;
import dev.messenger.api.v1.HeartbeatRequest;
import dev.messenger.api.v1.PresenceGrpc;
import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.api.v1.SubscribeRequest;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A web user speaking grpc-web (Armeria's client) through a gateway of her own in front of two session
 * servers: her Subscribe stream goes to the first server, and every Heartbeat to the second, which holds no
 * stream of hers. Another user samples her presence every second through the main gateway.
 */
final class WebHeartbeatUser implements AutoCloseable {
  private final WebDeployment web;
  private final String user;
  private final int gatewayPort;
  final List<ServerFrame> frames = new CopyOnWriteArrayList<>();
  /** Presence samples: state and the time it was seen. */
  final List<Sample> samples = new CopyOnWriteArrayList<>();
  final AtomicInteger heartbeats = new AtomicInteger();
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);

  record Sample(long atMs, PresenceState state) {}

  private WebHeartbeatUser(WebDeployment web, String user) {
    this.web = web;
    this.user = user;
    this.gatewayPort = web.startExtraGateway();
  }

  /** Subscribes; call {@link #startHeartbeats()} once the stream is caught up. */
  static WebHeartbeatUser subscribe(WebDeployment web, String user) {
    WebHeartbeatUser self = new WebHeartbeatUser(web, user);
    self.grpcWeb(self.gatewayPort, user).build(SessionGrpc.SessionStub.class)
        .subscribe(SubscribeRequest.getDefaultInstance(), new StreamObserver<>() {
          @Override
          public void onNext(ServerFrame frame) {
            self.frames.add(frame);
          }

          @Override
          public void onError(Throwable t) {
            self.frames.add(ServerFrame.getDefaultInstance());
          }

          @Override
          public void onCompleted() {
            self.frames.add(ServerFrame.getDefaultInstance());
          }
        });
    return self;
  }

  boolean caughtUp() {
    return frames.stream().anyMatch(ServerFrame::hasCaughtUp);
  }

  /** True while no stream end (error or completion) has been seen. */
  boolean streamOpen() {
    return frames.stream().noneMatch(f -> f.getFrameCase() == ServerFrame.FrameCase.FRAME_NOT_SET);
  }

  int heartbeatIntervalMs() {
    return frames.get(0).getWelcome().getHeartbeatIntervalMs();
  }

  /**
   * Every interval: the Heartbeat (odd call on this gateway: the second server), then a Discovery call
   * (even: the first), so no heartbeat ever reaches the server holding the stream. Presence is sampled
   * every second by {@code watcher} through the main gateway.
   */
  void startHeartbeats(String watcher) {
    SessionGrpc.SessionBlockingStub session = grpcWeb(gatewayPort, user).build(SessionGrpc.SessionBlockingStub.class);
    DiscoveryGrpc.DiscoveryBlockingStub discovery =
        grpcWeb(gatewayPort, user).build(DiscoveryGrpc.DiscoveryBlockingStub.class);
    int interval = heartbeatIntervalMs();
    timer.scheduleAtFixedRate(() -> {
      session.heartbeat(HeartbeatRequest.newBuilder().setClientTimeMs(System.currentTimeMillis()).build());
      discovery.getSessionServers(GetSessionServersRequest.getDefaultInstance());
      heartbeats.incrementAndGet();
    }, interval, interval, TimeUnit.MILLISECONDS);
    // Only users who share a conversation see each other's presence: the watcher writes to her first.
    grpcWeb(web.gatewayPort(), watcher).build(SessionGrpc.SessionBlockingStub.class)
        .send(SendRequest.newBuilder().setToUserId(user).setClientMessageId("presence-" + user).setBody("hi").build());
    PresenceGrpc.PresenceBlockingStub presence =
        grpcWeb(web.gatewayPort(), watcher).build(PresenceGrpc.PresenceBlockingStub.class);
    timer.scheduleAtFixedRate(() -> {
      try {
        samples.add(new Sample(System.currentTimeMillis(), presence
            .getPresence(GetPresenceRequest.newBuilder().addUserIds(user).build()).getPresences(0).getState()));
      } catch (RuntimeException gatewayRestarting) {
        // the browser test stops the main gateway for a while; no sample then
      }
    }, 0, 1, TimeUnit.SECONDS);
  }

  /** How long she has been seen online without a single offline sample since she first was. */
  Duration onlineWithoutBreak() {
    long first = -1;
    long last = -1;
    for (Sample sample : samples) {
      if (sample.state() == PresenceState.PRESENCE_STATE_ONLINE) {
        first = first < 0 ? sample.atMs() : first;
        last = sample.atMs();
      } else if (first >= 0) {
        return Duration.ZERO;
      }
    }
    return first < 0 ? Duration.ZERO : Duration.ofMillis(last - first);
  }

  boolean wentOfflineAfterOnline() {
    boolean seenOnline = false;
    for (Sample sample : samples) {
      if (sample.state() == PresenceState.PRESENCE_STATE_ONLINE) {
        seenOnline = true;
      } else if (seenOnline) {
        return true;
      }
    }
    return false;
  }

  private GrpcClientBuilder grpcWeb(int port, String as) {
    return GrpcClients.builder("http://127.0.0.1:" + port)
        .serializationFormat(GrpcSerializationFormats.PROTO_WEB)
        .responseTimeout(Duration.ZERO)
        .addHeader("authorization", "Bearer " + web.token(as, "web"));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
