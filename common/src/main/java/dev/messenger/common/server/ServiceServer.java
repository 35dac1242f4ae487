package dev.messenger.common.server;

import dev.messenger.common.errors.ErrorMappingInterceptor;
import dev.messenger.common.metrics.GrpcMetricsInterceptor;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server with what every service has: health checking, server reflection, metrics and error mapping
 * around the service's own interceptors (auth). Takes a {@link ServerBuilder} so tests pass an in-process one.
 */
public final class ServiceServer implements AutoCloseable {
  private final Server server;
  private final HealthStatusManager health;
  private final java.util.concurrent.atomic.AtomicBoolean terminating = new java.util.concurrent.atomic.AtomicBoolean();

  private final List<String> serviceNames;

  private ServiceServer(Server server, HealthStatusManager health, List<String> serviceNames) {
    this.server = server;
    this.health = health;
    this.serviceNames = List.copyOf(serviceNames);
  }

  /**
   * Builds and starts the server. {@code interceptors} run in list order, after metrics and error mapping
   * and before the service.
   */
  public static ServiceServer start(
      ServerBuilder<?> builder,
      List<BindableService> services,
      List<ServerInterceptor> interceptors,
      PrometheusRegistry registry) {
    HealthStatusManager health = new HealthStatusManager();
    List<String> names = new ArrayList<>();
    names.add(HealthStatusManager.SERVICE_NAME_ALL_SERVICES);
    // ServerInterceptors.intercept runs the last interceptor given first.
    List<ServerInterceptor> inner = new ArrayList<>(interceptors);
    inner.add(0, new MessageSizeLimit(GrpcServers.MAX_INBOUND_MESSAGE_BYTES)); // on parsed messages
    java.util.Collections.reverse(inner);
    ServerInterceptor metrics = new GrpcMetricsInterceptor(registry);
    ServerInterceptor errors = new ErrorMappingInterceptor();
    for (BindableService service : services) {
      // Requests are parsed inside the error mapping, so a malformed one gets INVALID_ARGUMENT.
      ServerServiceDefinition definition = ServerInterceptors.intercept(
          LateRequestParsing.wrap(ServerInterceptors.intercept(service, inner)),
          errors,
          metrics);
      builder.addService(definition);
      health.setStatus(definition.getServiceDescriptor().getName(), ServingStatus.SERVING);
      names.add(definition.getServiceDescriptor().getName());
    }
    builder.addService(health.getHealthService());
    builder.addService(ProtoReflectionServiceV1.newInstance());
    try {
      Server server = builder.build().start();
      health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
      return new ServiceServer(server, health, names);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start gRPC server", e);
    }
  }

  /** The bound port (for servers built on a socket address). */
  public int port() {
    return server.getPort();
  }

  /**
   * SERVING or NOT_SERVING for every service, as what the service depends on answers or not (see
   * {@link dev.messenger.common.health.DependencyHealth}); ignored once the server is stopping.
   */
  public synchronized void reportDependencies(boolean reachable) {
    if (terminating.get()) {
      return;
    }
    ServingStatus status = reachable ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    serviceNames.forEach(name -> health.setStatus(name, status));
  }

  /** Reports NOT_SERVING for every service so load balancers stop sending new calls. */
  public synchronized void markNotServing() {
    if (terminating.compareAndSet(false, true)) {
      health.enterTerminalState();
    }
  }

  /** Stops accepting calls, waits up to {@code grace} for running ones, then cancels what is left. */
  public void shutdown(Duration grace) {
    markNotServing();
    server.shutdown();
    try {
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(5));
  }
}
