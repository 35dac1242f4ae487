package dev.messenger.session;

import dev.messenger.api.v1.DiscoveryGrpc;
import dev.messenger.api.v1.GetSessionServersRequest;
import dev.messenger.api.v1.GetSessionServersResponse;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.api.v1.SessionServer;
import io.grpc.stub.StreamObserver;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Answers which session servers a device may connect to; for signed-in devices only. The registered servers
 * (etcd, under a lease) less those whose heartbeats stopped: a killed server's lease outlives it by seconds.
 */
final class DiscoveryService extends DiscoveryGrpc.DiscoveryImplBase {
  private final Supplier<SessionDirectory> directory;
  private final Predicate<String> isLive;

  DiscoveryService(Supplier<SessionDirectory> directory, Predicate<String> isLive) {
    this.directory = directory;
    this.isLive = isLive;
  }

  @Override
  public void getSessionServers(GetSessionServersRequest request,
      StreamObserver<GetSessionServersResponse> responseObserver) {
    directory.get().list().whenComplete((servers, error) -> {
      if (error != null) {
        responseObserver.onError(ApiErrors.unavailable("DIRECTORY_UNAVAILABLE", "discovery is unavailable; retry"));
        return;
      }
      GetSessionServersResponse.Builder response = GetSessionServersResponse.newBuilder();
      for (SessionServer server : servers) {
        if (isLive.test(server.getServerId())) {
          response.addServers(server);
        }
      }
      responseObserver.onNext(response.build());
      responseObserver.onCompleted();
    });
  }
}
