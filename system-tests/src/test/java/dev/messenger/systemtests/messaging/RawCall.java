package dev.messenger.systemtests.messaging;

import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.ServerFrame;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A call of any method whose requests are raw bytes, as a hostile client sends them: whatever the server
 * answers is kept (as {@link ServerFrame}s: only Connect's answers are read), and how the call ended.
 */
final class RawCall implements AutoCloseable {
  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
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
  };

  /** How a call ended: its status and trailers (the ErrorInfo reason is in them). */
  record Ended(Status status, Metadata trailers) {}

  final List<byte[]> responses = new CopyOnWriteArrayList<>();
  final CompletableFuture<Ended> ended = new CompletableFuture<>();
  private final ClientCall<byte[], byte[]> call;
  private final Duration wait;

  private RawCall(ClientCall<byte[], byte[]> call, Duration wait) {
    this.call = call;
    this.wait = wait;
  }

  /** Starts a call of {@code method} with its requests and responses taken as bytes. */
  static RawCall start(Channel channel, MethodDescriptor<?, ?> method, Metadata headers, Duration deadline) {
    MethodDescriptor<byte[], byte[]> raw = method.toBuilder(BYTES, BYTES).build();
    RawCall rawCall = new RawCall(
        channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)),
        deadline);
    rawCall.call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(byte[] message) {
        rawCall.responses.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        rawCall.ended.complete(new Ended(status, trailers));
      }
    }, headers);
    rawCall.call.request(Integer.MAX_VALUE);
    return rawCall;
  }

  RawCall send(byte[] message) {
    call.sendMessage(message);
    return this;
  }

  void halfClose() {
    call.halfClose();
  }

  /** Connect's frames so far. */
  List<ServerFrame> frames() {
    return responses.stream().map(RawCall::frame).toList();
  }

  /** Waits until a response matches or the call ends; true if one matched. */
  boolean awaitResponse(Predicate<ServerFrame> wanted) {
    await().atMost(wait).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
        .until(() -> ended.isDone() || frames().stream().anyMatch(wanted));
    return frames().stream().anyMatch(wanted);
  }

  /** Waits for the first response or the end of the call; a call still open is cancelled then. */
  void awaitFirstResponse() {
    await().atMost(wait).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
        .until(() -> ended.isDone() || !responses.isEmpty());
  }

  /** The end of the call (the deadline ends it at the latest). */
  Ended awaitEnd() throws Exception {
    return ended.get(wait.toMillis() + 5_000, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (!ended.isDone()) {
      call.cancel("the test is done with this call", null);
    }
  }

  private static ServerFrame frame(byte[] bytes) {
    try {
      return ServerFrame.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("the server sent a frame that does not parse", e);
    }
  }
}
