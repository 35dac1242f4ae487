package dev.messenger.session;

import dev.messenger.common.errors.ApiErrors;
import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.Welcome;
import dev.messenger.common.auth.Principal;
import dev.messenger.presence.client.PresenceReporter;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;

/** Opens device streams: registers them (subscribing to the user's subject first), then starts catch-up. */
final class StreamFactory {
  private final LocalStreams streams;
  private final SessionStore store;
  private final Executor executor;
  private final StreamLimits limits;
  private final SessionConfig config;
  private final SessionMetrics metrics;
  private final PresenceReporter presence;
  private final SessionLimits userLimits;
  private volatile boolean draining;

  StreamFactory(LocalStreams streams, SessionStore store, Executor executor, StreamLimits limits,
      SessionConfig config, SessionMetrics metrics, PresenceReporter presence, SessionLimits userLimits) {
    this.streams = streams;
    this.store = store;
    this.executor = executor;
    this.limits = limits;
    this.config = config;
    this.metrics = metrics;
    this.presence = presence;
    this.userLimits = userLimits;
  }

  /** From now on new streams are refused with UNAVAILABLE/SERVER_DRAINING: the server is stopping. */
  void startDraining() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }

  /** Opens a stream of the caller's device; throws SERVER_DRAINING or CONNECT_RATE_LIMITED instead. */
  DeviceStream open(Principal principal, ServerCallStreamObserver<ServerFrame> out, Cursor resume) {
    if (draining) {
      throw ApiErrors.unavailable("SERVER_DRAINING", "this server is shutting down; connect to another");
    }
    userLimits.connect(principal); // RESOURCE_EXHAUSTED / CONNECT_RATE_LIMITED ends the call at once
    DeviceStream stream = new DeviceStream(principal.userId(), principal.deviceId(), out, resume, store, executor,
        limits, this::closed, metrics);
    streams.add(stream);
    presence.streamOpened(principal.userId(), principal.deviceId(), stream.streamId());
    stream.start(ServerFrame.newBuilder().setWelcome(Welcome.newBuilder()
        .setUserId(principal.userId())
        .setDeviceId(principal.deviceId())
        .setServerId(config.serverId())
        .setHeartbeatIntervalMs((int) config.heartbeatInterval().toMillis())
        .setSendRateLimitPerS(config.sendRatePerSecond())).build());
    return stream;
  }

  private void closed(DeviceStream stream, String reason) {
    metrics.streamClosed(reason);
    streams.remove(stream);
    presence.streamClosed(stream.userId(), stream.streamId());
  }
}
