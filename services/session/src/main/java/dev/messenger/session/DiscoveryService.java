package dev.messenger.session;

import dev.messenger.api.v1.DiscoveryGrpc;
import dev.messenger.api.v1.GetSessionServersRequest;
import dev.messenger.api.v1.GetSessionServersResponse;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.api.v1.SessionServer;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Answers which session servers a device may connect to; for signed-in devices only. The registered servers
 * (etcd, under a lease) less those whose heartbeats stopped: a killed server's lease outlives it by seconds.
 * Each count includes the devices this Discovery sent there in the last seconds ({@link RecentReferrals}).
 */
final class DiscoveryService extends DiscoveryGrpc.DiscoveryImplBase {
  private final Supplier<SessionDirectory> directory;
  private final Predicate<String> isLive;
  private final RecentReferrals referrals = new RecentReferrals();

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
      List<SessionServer> live = servers.stream().filter(server -> isLive.test(server.getServerId())).toList();
      responseObserver.onNext(GetSessionServersResponse.newBuilder()
          .addAllServers(referrals.answer(live, System.nanoTime())).build());
      responseObserver.onCompleted();
    });
  }
}
