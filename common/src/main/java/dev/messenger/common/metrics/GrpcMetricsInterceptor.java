package dev.messenger.common.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Counts calls by method and status code and times them, whether the server closed them or the client
 * cancelled (as a device stream usually ends: code CANCELLED). Unary calls take milliseconds and streams
 * live seconds to days, so they are timed in two histograms with buckets for each. Label values are
 * bounded: methods and codes.
 */
public final class GrpcMetricsInterceptor implements ServerInterceptor {
  /** Upper bounds in seconds for streams: a reconnect blip, minutes, hours, a day, a week. */
  static final double[] STREAM_BUCKETS = {
    1, 10, 60, 300, 900, 1_800, 3_600, 4 * 3_600, 12 * 3_600, 86_400, 3 * 86_400, 7 * 86_400
  };

  private final Counter calls;
  private final Histogram unaryDurations;
  private final Histogram streamDurations;

  public GrpcMetricsInterceptor(PrometheusRegistry registry) {
    this.calls =
        Counter.builder()
            .name("messenger_grpc_server_calls_total")
            .help("gRPC calls handled, by method and status code")
            .labelNames("method", "code")
            .register(registry);
    this.unaryDurations =
        Histogram.builder()
            .name("messenger_grpc_server_call_duration_seconds")
            .help("unary gRPC call duration from start to close, by method")
            .labelNames("method")
            .register(registry);
    this.streamDurations =
        Histogram.builder()
            .name("messenger_grpc_server_stream_duration_seconds")
            .help("streaming gRPC call (Connect, Subscribe, watches) lifetime from start to close, by method")
            .labelNames("method")
            .classicOnly()
            .classicUpperBounds(STREAM_BUCKETS)
            .register(registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Histogram durations =
        call.getMethodDescriptor().getType() == MethodType.UNARY ? unaryDurations : streamDurations;
    long start = System.nanoTime();
    AtomicBoolean ended = new AtomicBoolean();
    Consumer<Status.Code> end = code -> {
      if (ended.compareAndSet(false, true)) {
        calls.labelValues(method, code.name()).inc();
        durations.labelValues(method).observe((System.nanoTime() - start) / 1e9);
      }
    };
    ServerCall.Listener<Q> listener = next.startCall(
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            end.accept(status.getCode());
            super.close(status, trailers);
          }
        },
        headers);
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        end.accept(Status.Code.CANCELLED);
        super.onCancel();
      }
    };
  }
}
