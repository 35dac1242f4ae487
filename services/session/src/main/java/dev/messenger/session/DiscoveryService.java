package dev.messenger.session;

import dev.messenger.api.v1.DiscoveryGrpc;
import dev.messenger.api.v1.GetSessionServersRequest;
import dev.messenger.api.v1.GetSessionServersResponse;
import dev.messenger.common.errors.ApiErrors;
import io.grpc.stub.StreamObserver;

/** Answers which session servers a device may connect to; for signed-in devices only. */
final class DiscoveryService extends DiscoveryGrpc.DiscoveryImplBase {
  private final java.util.function.Supplier<SessionDirectory> directory;

  DiscoveryService(java.util.function.Supplier<SessionDirectory> directory) {
    this.directory = directory;
  }

  @Override
  public void getSessionServers(GetSessionServersRequest request,
      StreamObserver<GetSessionServersResponse> responseObserver) {
    directory.get().list().whenComplete((servers, error) -> {
      if (error != null) {
        responseObserver.onError(ApiErrors.unavailable("DIRECTORY_UNAVAILABLE", "discovery is unavailable; retry"));
        return;
      }
      responseObserver.onNext(GetSessionServersResponse.newBuilder().addAllServers(servers).build());
      responseObserver.onCompleted();
    });
  }
}
