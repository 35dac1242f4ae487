package dev.messenger.loadgen.baseline;

import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * gRPC alone (grpc-java on Netty, plaintext, loopback TCP, direct executors as grpc-java's own benchmarks
 * run it): messages per second echoed on one bidi stream, sent as fast as flow control allows with a
 * window of messages in flight, and echo round-trip latency at a fixed rate. Server and client share this
 * process, as they would share a machine.
 */
final class GrpcEchoBaseline implements AutoCloseable {
  private static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
      .setFullMethodName("loadgen.Baseline/Echo")
      .setRequestMarshaller(new Bytes())
      .setResponseMarshaller(new Bytes())
      .build();

  private final BaselineSettings settings;
  private final Server server;
  private final ManagedChannel channel;

  GrpcEchoBaseline(BaselineSettings settings) {
    this.settings = settings;
    ServerServiceDefinition service = ServerServiceDefinition.builder("loadgen.Baseline")
        .addMethod(ECHO, ServerCalls.asyncBidiStreamingCall(responses -> new StreamObserver<byte[]>() {
          @Override
          public void onNext(byte[] message) {
            responses.onNext(message);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            responses.onCompleted();
          }
        }))
        .build();
    try {
      this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .directExecutor().addService(service).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().directExecutor()
        .build();
  }

  Map<String, Object> echo() throws InterruptedException {
    windowed(settings.warmup().toNanos());
    double rate = windowed(settings.duration().toNanos());
    latency(settings.warmup());
    OpenLoop.Result latency = latency(settings.duration());
    return new PartReport()
        .scenario("what", "bidi echo on one stream over loopback TCP, up to " + settings.window()
            + " messages in flight, direct executors")
        .scenario("message_bytes", settings.messageBytes())
        .scenario("latency_rate_per_s", settings.latencyRate())
        .throughput("msgs_per_s", rate)
        .latency("rtt", latency.micros())
        .error("failed", latency.failed())
        .toMap();
  }

  /**
   * Sends for {@code nanos} as fast as flow control allows, with at most a window of messages not yet
   * echoed, and returns echoes received per second. Everything runs on the channel's event loop.
   */
  private double windowed(long nanos) throws InterruptedException {
    byte[] payload = new byte[settings.messageBytes()];
    CompletableFuture<Void> finished = new CompletableFuture<>();
    long[] counts = new long[2];
    long start = System.nanoTime();
    long end = start + nanos;
    ClientCalls.asyncBidiStreamingCall(channel.newCall(ECHO, io.grpc.CallOptions.DEFAULT),
        new ClientResponseObserver<byte[], byte[]>() {
          private ClientCallStreamObserver<byte[]> requests;
          private boolean done;

          @Override
          public void beforeStart(ClientCallStreamObserver<byte[]> stream) {
            requests = stream;
            stream.setOnReadyHandler(this::send);
          }

          private void send() {
            while (!done && requests.isReady() && counts[0] - counts[1] < settings.window()) {
              if (System.nanoTime() >= end) {
                done = true;
                requests.onCompleted();
                return;
              }
              requests.onNext(payload);
              counts[0]++;
            }
          }

          @Override
          public void onNext(byte[] value) {
            counts[1]++;
            if (counts[0] - counts[1] <= settings.window() / 2) {
              send();
            }
          }

          @Override
          public void onError(Throwable t) {
            finished.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            finished.complete(null);
          }
        });
    try {
      finished.get(nanos / 1_000_000 + 30_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the gRPC echo stream failed: " + e, e);
    }
    return counts[1] / ((System.nanoTime() - start) / 1e9);
  }

  /** Echo round trips on one stream at a fixed rate; each message carries its id. */
  private OpenLoop.Result latency(java.time.Duration duration) throws InterruptedException {
    Map<Long, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    Object lock = new Object();
    StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(ECHO, io.grpc.CallOptions.DEFAULT), new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {
            CompletableFuture<Void> waiting = pending.remove(ByteBuffer.wrap(value).getLong());
            if (waiting != null) {
              waiting.complete(null);
            }
          }

          @Override
          public void onError(Throwable t) {
            pending.values().forEach(f -> f.completeExceptionally(t));
          }

          @Override
          public void onCompleted() {}
        });
    long[] ids = {0};
    OpenLoop.Result result = OpenLoop.run(settings.latencyRate(), duration, scheduled -> {
      CompletableFuture<Void> answer = new CompletableFuture<>();
      byte[] payload = new byte[Math.max(8, settings.messageBytes())];
      long id = ++ids[0];
      ByteBuffer.wrap(payload).putLong(id);
      pending.put(id, answer);
      synchronized (lock) {
        requests.onNext(payload);
      }
      return answer;
    });
    synchronized (lock) {
      requests.onCompleted();
    }
    return result;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Raw bytes as the message type: no protobuf work on either side. */
  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
