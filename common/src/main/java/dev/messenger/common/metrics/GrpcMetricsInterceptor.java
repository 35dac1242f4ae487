package dev.messenger.common.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Counts calls by method and status code and times them. Label values are bounded: methods and codes. */
public final class GrpcMetricsInterceptor implements ServerInterceptor {
  private final Counter calls;
  private final Histogram durations;

  public GrpcMetricsInterceptor(PrometheusRegistry registry) {
    this.calls =
        Counter.builder()
            .name("messenger_grpc_server_calls_total")
            .help("gRPC calls handled, by method and status code")
            .labelNames("method", "code")
            .register(registry);
    this.durations =
        Histogram.builder()
            .name("messenger_grpc_server_call_duration_seconds")
            .help("gRPC call duration from start to close, by method")
            .labelNames("method")
            .register(registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    long start = System.nanoTime();
    return next.startCall(
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            calls.labelValues(method, status.getCode().name()).inc();
            durations.labelValues(method).observe((System.nanoTime() - start) / 1e9);
            super.close(status, trailers);
          }
        },
        headers);
  }
}
