package dev.messenger.client;

import dev.messenger.api.v1.DiscoveryGrpc;
import dev.messenger.api.v1.GetSessionServersRequest;
import dev.messenger.api.v1.GetSessionServersResponse;
import dev.messenger.api.v1.SessionServer;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks a bootstrap server for the live session servers, with the device's token. */
final class ServerDiscovery {
  private static final Logger log = LoggerFactory.getLogger(ServerDiscovery.class);

  private final Duration timeout;
  private final Executor loop;

  ServerDiscovery(Duration timeout, Executor loop) {
    this.timeout = timeout;
    this.loop = loop;
  }

  /** Calls {@code onResult} on the event loop with the servers, or an empty list when the call failed. */
  void discover(Channel channel, Metadata headers, Consumer<List<SessionServer>> onResult) {
    DiscoveryGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .getSessionServers(
            GetSessionServersRequest.getDefaultInstance(),
            new StreamObserver<>() {
              private List<SessionServer> servers = List.of();

              @Override
              public void onNext(GetSessionServersResponse response) {
                servers = List.copyOf(response.getServersList());
              }

              @Override
              public void onError(Throwable error) {
                log.debug("discovery failed: {}", io.grpc.Status.fromThrowable(error));
                loop.execute(() -> onResult.accept(List.of()));
              }

              @Override
              public void onCompleted() {
                List<SessionServer> result = servers;
                loop.execute(() -> onResult.accept(result));
              }
            });
  }
}
