package dev.messenger.stack;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Asks a gRPC server's standard health service whether it is SERVING, or an HTTP server for a 200. */
final class HealthProbe {
  private HealthProbe() {}

  /** Polls until SERVING or the timeout, over a channel with these credentials; false on timeout. */
  static boolean awaitServing(String host, int port, ChannelCredentials credentials, Duration timeout,
      java.util.function.BooleanSupplier alive) throws InterruptedException {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress(host, port, credentials).build();
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && alive.getAsBoolean()) {
        try {
          ServingStatus status = HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(1, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance())
              .getStatus();
          if (status == ServingStatus.SERVING) {
            return true;
          }
        } catch (io.grpc.StatusRuntimeException notYet) {
          // not listening yet
        }
        Thread.sleep(200);
      }
      return false;
    } finally {
      channel.shutdownNow();
    }
  }

  /** Polls {@code url} until it answers 200 or the timeout; false on timeout. */
  static boolean awaitHttpOk(String url, Duration timeout, java.util.function.BooleanSupplier alive)
      throws InterruptedException {
    java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(1)).build();
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && alive.getAsBoolean()) {
      try {
        if (client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return true;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    return false;
  }
}
