package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.SendAck;
import dev.messenger.common.Subjects;
import dev.messenger.internal.v1.SubmitReply;
import dev.messenger.internal.v1.SubmitRequest;
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

  /** A NATS connection whose requests time out {@code unanswered} times, then get the ack. */
  private Connection natsAnswering(int unanswered, SendAck ack) {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("requestWithTimeout")) {
            throw new UnsupportedOperationException(method.getName());
          }
          submitted.add(SubmitRequest.parseFrom((byte[]) args[1]));
          if (submitted.size() <= unanswered) {
            return CompletableFuture.<Message>failedFuture(new TimeoutException("no router answered"));
          }
          return CompletableFuture.completedFuture(NatsMessage.builder().subject("reply")
              .data(SubmitReply.newBuilder().setAck(ack).build().toByteArray()).build());
        });
  }
}
