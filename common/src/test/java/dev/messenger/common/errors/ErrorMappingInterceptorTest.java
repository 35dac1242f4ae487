package dev.messenger.common.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.common.server.ServiceServer;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ErrorMappingInterceptorTest {
  /** Field 1 (a string) holding the byte 0xFF, which is not UTF-8: a request that does not parse. */
  private static final byte[] MALFORMED = {0x0A, 0x01, (byte) 0xFF};

  @Test
  void should_answer_a_request_that_does_not_parse_once_and_log_no_error() {
    AtomicInteger handled = new AtomicInteger();
    try (Served served = new Served(new SessionGrpc.SessionImplBase() {
      @Override
      public void send(SendRequest request, StreamObserver<SendAck> responses) {
        handled.incrementAndGet();
        responses.onNext(SendAck.getDefaultInstance());
        responses.onCompleted();
      }
    })) {
      MethodDescriptor<byte[], byte[]> raw = SessionGrpc.getSendMethod().toBuilder(new Bytes(), new Bytes()).build();

      assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(served.channel, raw, io.grpc.CallOptions.DEFAULT,
          MALFORMED)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(ApiErrors.reasonOf(e)).isEqualTo("MALFORMED_REQUEST");
          });
      assertThat(handled).hasValue(0);
      assertThat(served.logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
    }
  }

  @Test
  void should_answer_an_unexpected_failure_internal_with_a_request_id_that_its_error_log_line_carries() {
    try (Served served = new Served(new SessionGrpc.SessionImplBase() {
      @Override
      public void send(SendRequest request, StreamObserver<SendAck> responses) {
        throw new IllegalStateException("a bug");
      }
    })) {
      StatusRuntimeException answer = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
          () -> SessionGrpc.newBlockingStub(served.channel).send(SendRequest.getDefaultInstance()));
      assertThat(answer.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
      String requestId = requestIdOf(answer);
      assertThat(requestId).as(answer.getStatus().getDescription()).matches("[0-9a-f]{16}");
      assertThat(answer.getStatus().getDescription()).doesNotContain("a bug");

      assertThat(served.logged.list).filteredOn(e -> e.getLevel() == Level.ERROR).singleElement().satisfies(line -> {
        assertThat(line.getKeyValuePairs()).anySatisfy(kv -> {
          assertThat(kv.key).isEqualTo("request_id");
          assertThat(kv.value).isEqualTo(requestId);
        });
        assertThat(line.getThrowableProxy().getMessage()).isEqualTo("a bug");
      });
    }
  }

  /**
   * A stream's handler writes on a thread of its own while a later frame fails to parse: gRPC's call is not
   * thread-safe, so the interceptor's close must wait for the write (found by HostileInputFuzzIT: a catch-up
   * frame and the close interleaved, and the client got a reset stream instead of INVALID_ARGUMENT).
   */
  @Test
  void should_not_close_a_call_while_its_handler_writes_to_it_and_drop_what_it_writes_after() throws Exception {
    RecordingCall recording = new RecordingCall();
    AtomicReference<ServerCall<byte[], byte[]>> handed = new AtomicReference<>();
    ServerCall.Listener<byte[]> listener = new ErrorMappingInterceptor().interceptCall(recording, new Metadata(),
        (call, headers) -> {
          handed.set(call);
          return new ServerCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
              throw Status.INVALID_ARGUMENT.withCause(new InvalidProtocolBufferException("bad frame"))
                  .asRuntimeException();
            }
          };
        });
    Thread writer = new Thread(() -> handed.get().sendMessage(new byte[] {1}), "handler-writer");
    writer.start();
    assertThat(recording.writing.await(10, TimeUnit.SECONDS)).isTrue();
    Thread grpc = new Thread(() -> listener.onMessage(new byte[] {2}), "grpc-executor");
    grpc.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> grpc.getState() == Thread.State.BLOCKED
        || recording.closedWhileWriting.get() || !grpc.isAlive());
    recording.finishWrite.countDown();
    writer.join(10_000);
    grpc.join(10_000);

    assertThat(recording.closedWhileWriting).as("closed while a message was being written").isFalse();
    assertThat(recording.closes).containsExactly(Status.Code.INVALID_ARGUMENT);
    handed.get().sendMessage(new byte[] {3});
    handed.get().close(Status.OK, new Metadata());
    assertThat(recording.messages).hasValue(1);
    assertThat(recording.closes).containsExactly(Status.Code.INVALID_ARGUMENT);
  }

  /** The id in "internal error (request id …)", or null. */
  private static String requestIdOf(StatusRuntimeException error) {
    String message = error.getStatus().getDescription();
    int at = message == null ? -1 : message.indexOf("(request id ");
    return at < 0 ? null : message.substring(at + "(request id ".length(), message.length() - 1);
  }

  /** One service in process behind the interceptors, and what the interceptor logged meanwhile. */
  private static final class Served implements AutoCloseable {
    final Logger logger = (Logger) LoggerFactory.getLogger(ErrorMappingInterceptor.class);
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final ServiceServer server;
    final ManagedChannel channel;

    Served(io.grpc.BindableService service) {
      logged.start();
      logger.addAppender(logged);
      String name = InProcessServerBuilder.generateName();
      server = ServiceServer.start(InProcessServerBuilder.forName(name).directExecutor(), List.of(service),
          List.of(), new PrometheusRegistry());
      channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @Override
    public void close() {
      logger.detachAppender(logged);
      channel.shutdownNow();
      server.close();
    }
  }

  /** A call that notes a close arriving while a message is being written, as gRPC's framer would break. */
  private static final class RecordingCall extends ServerCall<byte[], byte[]> {
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch finishWrite = new CountDownLatch(1);
    final AtomicBoolean inWrite = new AtomicBoolean();
    final AtomicBoolean closedWhileWriting = new AtomicBoolean();
    final AtomicInteger messages = new AtomicInteger();
    final List<Status.Code> closes = new CopyOnWriteArrayList<>();

    @Override
    public void sendMessage(byte[] message) {
      inWrite.set(true);
      messages.incrementAndGet();
      writing.countDown();
      try {
        finishWrite.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inWrite.set(false);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (inWrite.get()) {
        closedWhileWriting.set(true);
      }
      closes.add(status.getCode());
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public MethodDescriptor<byte[], byte[]> getMethodDescriptor() {
      return SessionGrpc.getConnectMethod().toBuilder(new Bytes(), new Bytes()).build();
    }
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
