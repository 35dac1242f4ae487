package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.StreamError;
import dev.messenger.common.Subjects;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.internal.v1.SubmitReply;
import dev.messenger.internal.v1.SubmitRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouterClientTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<SubmitRequest> submitted = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void should_submit_a_first_attempt_as_such_once_and_every_retry_as_a_resend() throws Exception {
    SendAck stored = SendAck.newBuilder().setClientMessageId("m1").setConversationId("dm:alice:bob").setSeq(4).build();
    RouterClient client = new RouterClient(natsAnswering(2, stored), Subjects.defaults(), 8, Duration.ofSeconds(1),
        Duration.ofSeconds(10), scheduler);

    SendAck ack = client.submit(SubmitRequest.newBuilder().setSenderUserId("alice").setClientMessageId("m1")
        .setConversationId("dm:alice:bob").setBody("hi").setFirstAttempt(true).build()).get(10, TimeUnit.SECONDS);

    assertThat(ack).isEqualTo(stored);
    assertThat(submitted).extracting(SubmitRequest::getFirstAttempt).containsExactly(true, false, false);
  }

  @Test
  void should_tell_each_retry_and_its_cause() throws Exception {
    SendAck stored = SendAck.newBuilder().setClientMessageId("m2").setConversationId("dm:alice:bob").setSeq(5).build();
    List<String> retries = new CopyOnWriteArrayList<>();
    RouterClient client = new RouterClient(natsAnswering(2, stored), Subjects.defaults(), 8, Duration.ofSeconds(1),
        Duration.ofSeconds(10), scheduler, retries::add);

    client.submit(SubmitRequest.newBuilder().setSenderUserId("alice").setClientMessageId("m2")
        .setConversationId("dm:alice:bob").setBody("hi").setFirstAttempt(true).build()).get(10, TimeUnit.SECONDS);

    assertThat(retries).containsExactly("no_reply", "no_reply");
  }

  @Test
  void should_pass_on_a_refusal_that_promises_nothing_was_stored_only_when_no_earlier_attempt_went_unanswered()
      throws Exception {
    SubmitReply overloaded = SubmitReply.newBuilder().setError(StreamError.newBuilder()
        .setCode("RESOURCE_EXHAUSTED").setReason("OVERLOADED").setRetryAfterMs(700).setClientMessageId("m3")).build();
    RouterClient direct = new RouterClient(natsAnswering(0, overloaded), Subjects.defaults(), 8,
        Duration.ofSeconds(1), Duration.ofSeconds(10), scheduler);
    RouterClient afterTimeout = new RouterClient(natsAnswering(1, overloaded), Subjects.defaults(), 8,
        Duration.ofSeconds(1), Duration.ofSeconds(10), scheduler);
    SubmitRequest send = SubmitRequest.newBuilder().setSenderUserId("alice").setClientMessageId("m3")
        .setConversationId("dm:alice:bob").setBody("hi").setFirstAttempt(true).build();

    assertThatThrownBy(() -> direct.submit(send).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(
        StatusRuntimeException.class).satisfies(e -> assertThat(ApiErrors.reasonOf(e.getCause())).isEqualTo("OVERLOADED"));
    assertThatThrownBy(() -> afterTimeout.submit(send).get(10, TimeUnit.SECONDS)).satisfies(e -> {
      assertThat(ApiErrors.reasonOf(e.getCause())).as("the unanswered attempt may have been stored")
          .isEqualTo("ROUTER_UNAVAILABLE");
      assertThat(((StatusRuntimeException) e.getCause()).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(ApiErrors.retryAfterMillisOf(e.getCause())).isEqualTo(700);
    });
  }

  @Test
  void should_refuse_at_once_a_request_over_the_bus_payload_limit() {
    RouterClient client = new RouterClient(natsAnswering(0, SendAck.getDefaultInstance()), Subjects.defaults(), 8,
        Duration.ofSeconds(1), Duration.ofSeconds(10), scheduler);
    SubmitRequest huge = SubmitRequest.newBuilder().setSenderUserId("alice").setClientMessageId("m4")
        .setConversationId("g:team").setBody("x".repeat(1 << 20)).build();

    assertThatThrownBy(() -> client.submit(huge).get(10, TimeUnit.SECONDS)).satisfies(e -> {
      assertThat(((StatusRuntimeException) e.getCause()).getStatus().getCode())
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(ApiErrors.reasonOf(e.getCause())).isEqualTo("MESSAGE_TOO_LARGE");
    });
    assertThat(submitted).isEmpty();
  }

  /** A NATS connection whose requests time out {@code unanswered} times, then get the ack. */
  private Connection natsAnswering(int unanswered, SendAck ack) {
    return natsAnswering(unanswered, SubmitReply.newBuilder().setAck(ack).build());
  }

  /** A NATS connection whose requests time out {@code unanswered} times, then get {@code answer}. */
  private Connection natsAnswering(int unanswered, SubmitReply answer) {
    AtomicInteger requests = new AtomicInteger();
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getMaxPayload")) {
            return 1L << 20;
          }
          if (!method.getName().equals("requestWithTimeout")) {
            throw new UnsupportedOperationException(method.getName());
          }
          submitted.add(SubmitRequest.parseFrom((byte[]) args[1]));
          if (requests.incrementAndGet() <= unanswered) {
            return CompletableFuture.<Message>failedFuture(new TimeoutException("no router answered"));
          }
          return CompletableFuture.completedFuture(NatsMessage.builder().subject("reply")
              .data(answer.toByteArray()).build());
        });
  }
}
