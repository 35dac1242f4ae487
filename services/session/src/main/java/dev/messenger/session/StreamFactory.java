package dev.messenger.session;

import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.Welcome;
import dev.messenger.common.auth.Principal;
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

  StreamFactory(LocalStreams streams, SessionStore store, Executor executor, StreamLimits limits,
      SessionConfig config, SessionMetrics metrics) {
    this.streams = streams;
    this.store = store;
    this.executor = executor;
    this.limits = limits;
    this.config = config;
    this.metrics = metrics;
  }

  DeviceStream open(Principal principal, ServerCallStreamObserver<ServerFrame> out, Cursor resume) {
    DeviceStream stream = new DeviceStream(principal.userId(), principal.deviceId(), out, resume, store, executor,
        limits, streams::remove);
    streams.add(stream);
    stream.start(ServerFrame.newBuilder().setWelcome(Welcome.newBuilder()
        .setUserId(principal.userId())
        .setDeviceId(principal.deviceId())
        .setServerId(config.serverId())
        .setHeartbeatIntervalMs((int) config.heartbeatInterval().toMillis())
        .setSendRateLimitPerS(config.sendRatePerSecond())).build());
    return stream;
  }
}
