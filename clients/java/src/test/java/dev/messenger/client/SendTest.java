package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.StreamError;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SendTest {
  private final ClientHarness harness = new ClientHarness();

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private FakeStream connected() {
    await().until(() -> !harness.server.streams().isEmpty()
        && !harness.server.stream(0).frames().isEmpty());
    return harness.server.stream(0).welcome();
  }

  /** A retryable refusal of {@code request} with the server's retry hint. */
  private static StreamError refusal(String code, String reason, SendRequest request, int retryAfterMs) {
    return error(code, reason, request).toBuilder().setRetryAfterMs(retryAfterMs).build();
  }

  private static StreamError error(String code, String reason, SendRequest request) {
    return StreamError.newBuilder().setCode(code).setReason(reason).setMessage("test")
        .setClientMessageId(request.getClientMessageId()).build();
  }

  @Test
  void should_fail_and_forget_a_send_rejected_for_good() {
    InMemoryOutbox outbox = new InMemoryOutbox();
    MessengerClient client = harness.start(harness.builder().outbox(outbox));
    FakeStream stream = connected();
    CompletableFuture<SendAck> future = client.send("c1", "x".repeat(10));
    await().until(() -> stream.sends().size() == 1);

    stream.error(error("INVALID_ARGUMENT", "BODY_TOO_LONG", stream.sends().get(0)));

    assertThat(future).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(SendFailedException.class,
            e -> assertThat(e.reason()).isEqualTo("BODY_TOO_LONG"));
    assertThat(outbox.pending()).isEmpty();
    assertThat(harness.listener.errorReasons()).containsExactly("BODY_TOO_LONG");
  }

  @Test
  void should_keep_and_retry_a_rate_limited_send_with_the_same_id_still_as_a_first_attempt() throws Exception {
    InMemoryOutbox outbox = new InMemoryOutbox();
    MessengerClient client = harness.start(harness.builder().outbox(outbox));
    FakeStream stream = connected();
    CompletableFuture<SendAck> future = client.send("c1", "hello");
    await().until(() -> stream.sends().size() == 1);
    SendRequest first = stream.sends().get(0);
    assertThat(first.getFirstAttempt()).isTrue();

    stream.error(error("RESOURCE_EXHAUSTED", "RATE_LIMITED", first));

    await().until(() -> stream.sends().size() == 2);
    assertThat(stream.sends().get(1)).as("nothing of it was stored: no look-up needed").isEqualTo(first);
    assertThat(future).isNotDone();
    assertThat(outbox.pending()).containsExactly(first.toBuilder().setFirstAttempt(false).build());

    stream.ack(first, 5, false);
    assertThat(future.get().getSeq()).isEqualTo(5);
    await().until(() -> outbox.pending().isEmpty());
  }

  @Test
  void should_resend_as_a_resend_after_a_refusal_that_does_not_promise_nothing_was_stored() {
    MessengerClient client = harness.start(harness.builder());
    FakeStream stream = connected();
    client.send("c1", "hello");
    await().until(() -> stream.sends().size() == 1);
    SendRequest first = stream.sends().get(0);

    stream.error(refusal("UNAVAILABLE", "ROUTER_UNAVAILABLE", first, 20));
    await().until(() -> stream.sends().size() == 2);
    stream.error(refusal("RESOURCE_EXHAUSTED", "OVERLOADED", stream.sends().get(1), 20));
    await().until(() -> stream.sends().size() == 3);

    assertThat(stream.sends()).extracting(SendRequest::getFirstAttempt)
        .as("once a write may have been stored, every later one is a resend").containsExactly(true, false, false);
    await().untilAsserted(() -> assertThat(harness.listener.sendsWritten)
        .as("the listener hears every write, the resends too")
        .containsExactly(first.getClientMessageId(), first.getClientMessageId(), first.getClientMessageId()));
  }

  @Test
  void should_resend_a_send_refused_for_order_after_the_earlier_one_and_not_before() throws Exception {
    MessengerClient client = harness.start(harness.builder());
    FakeStream stream = connected();
    CompletableFuture<SendAck> first = client.send("c1", "first");
    CompletableFuture<SendAck> second = client.send("c1", "second");
    await().until(() -> stream.sends().size() == 2);
    SendRequest a = stream.sends().get(0);
    SendRequest b = stream.sends().get(1);

    stream.error(refusal("RESOURCE_EXHAUSTED", "OVERLOADED", a, 300));
    stream.error(refusal("ABORTED", "EARLIER_SEND_NOT_STORED", b, 20));

    await().until(() -> stream.sends().size() >= 3);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> stream.sends().size() == 3);
    assertThat(stream.sends().get(2).getBody()).as("the earlier one alone, until it is stored").isEqualTo("first");
    stream.ack(stream.sends().get(2), 1, false);
    await().until(() -> stream.sends().size() == 4);
    assertThat(stream.sends()).extracting(SendRequest::getBody).containsExactly("first", "second", "first", "second");
    stream.ack(stream.sends().get(3), 2, false);
    assertThat(first.get().getSeq()).isEqualTo(1);
    assertThat(second.get().getSeq()).isEqualTo(2);
  }

  @Test
  void should_hold_a_conversations_later_sends_while_an_earlier_one_waits_to_be_resent() throws Exception {
    MessengerClient client = harness.start(harness.builder());
    FakeStream stream = connected();
    CompletableFuture<SendAck> first = client.send("c1", "first");
    await().until(() -> stream.sends().size() == 1);
    stream.error(refusal("RESOURCE_EXHAUSTED", "OVERLOADED", stream.sends().get(0), 1500));
    await().until(() -> !harness.listener.errors.isEmpty());

    CompletableFuture<SendAck> second = client.send("c1", "second");
    CompletableFuture<SendAck> elsewhere = client.send("c2", "elsewhere");
    await().until(() -> stream.sends().size() >= 2);
    assertThat(stream.sends().get(1).getBody()).as("another conversation is not held").isEqualTo("elsewhere");

    await().until(() -> stream.sends().size() == 3);
    stream.ack(stream.sends().get(1), 1, false).ack(stream.sends().get(2), 1, false);
    await().until(() -> stream.sends().size() == 4);
    assertThat(stream.sends()).extracting(SendRequest::getBody)
        .containsExactly("first", "elsewhere", "first", "second");
    stream.ack(stream.sends().get(3), 2, false);
    assertThat(first.get().getSeq()).isEqualTo(1);
    assertThat(second.get().getSeq()).isEqualTo(2);
    assertThat(elsewhere.get().getSeq()).isEqualTo(1);
  }

  @Test
  void should_resend_a_send_refused_behind_an_earlier_one_as_soon_as_that_one_is_stored() throws Exception {
    MessengerClient client = harness.start(harness.builder());
    FakeStream stream = connected();
    CompletableFuture<SendAck> first = client.send("c1", "first");
    CompletableFuture<SendAck> second = client.send("c1", "second");
    await().until(() -> stream.sends().size() == 2);

    // The refusal of the later send overtakes the answer of the earlier one.
    stream.error(refusal("ABORTED", "EARLIER_SEND_NOT_STORED", stream.sends().get(1), 5000));
    await().until(() -> !harness.listener.errors.isEmpty());
    assertThat(stream.sends()).as("not resent before the earlier one is answered").hasSize(2);

    stream.ack(stream.sends().get(0), 1, false);
    await().atMost(Duration.ofSeconds(2)).until(() -> stream.sends().size() == 3);
    assertThat(stream.sends().get(2).getBody()).isEqualTo("second");
    stream.ack(stream.sends().get(2), 2, false);
    assertThat(first.get().getSeq()).isEqualTo(1);
    assertThat(second.get().getSeq()).isEqualTo(2);
  }

  @Test
  void should_hold_a_send_to_a_user_behind_a_refused_send_to_their_direct_conversation() throws Exception {
    MessengerClient client = harness.start(harness.builder());
    FakeStream stream = connected();
    client.send("dm:alice:bob", "by id");
    await().until(() -> stream.sends().size() == 1);
    stream.error(refusal("RESOURCE_EXHAUSTED", "OVERLOADED", stream.sends().get(0), 1500));
    await().until(() -> !harness.listener.errors.isEmpty());

    client.sendTo("bob", "by user");
    client.sendTo("carol", "elsewhere");
    await().until(() -> stream.sends().size() >= 2);
    assertThat(stream.sends().get(1).getBody()).as("the same conversation as the refused one waits").isEqualTo("elsewhere");
    await().until(() -> stream.sends().size() >= 3);
    assertThat(stream.sends().get(2).getBody()).isEqualTo("by id");
    stream.ack(stream.sends().get(2), 1, false);
    await().until(() -> stream.sends().size() == 4);
    assertThat(stream.sends().get(3).getBody()).isEqualTo("by user");
  }

  @Test
  void should_move_the_hold_to_the_earlier_send_when_the_holder_is_refused_behind_it() throws Exception {
    MessengerClient client = harness.start(harness.builder());
    FakeStream stream = connected();
    client.send("c1", "a");
    client.send("c1", "b");
    await().until(() -> stream.sends().size() == 2);
    // b is refused first (it holds c1) while a is still in flight; b's resend is refused behind a.
    stream.error(refusal("RESOURCE_EXHAUSTED", "OVERLOADED", stream.sends().get(1), 100));
    await().until(() -> stream.sends().size() == 3);
    assertThat(stream.sends().get(2).getBody()).isEqualTo("b");
    stream.error(refusal("ABORTED", "EARLIER_SEND_NOT_STORED", stream.sends().get(2), 100));

    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> stream.sends().size() == 3);
    stream.ack(stream.sends().get(0), 1, false);
    await().until(() -> stream.sends().size() == 4);
    assertThat(stream.sends().get(3).getBody()).as("b follows a once a is stored").isEqualTo("b");
  }

  @Test
  void should_resend_the_earlier_send_when_the_hold_moves_to_it_while_it_waits_behind_the_holder()
      throws Exception {
    MessengerClient client = harness.start(harness.builder());
    FakeStream stream = connected();
    CompletableFuture<SendAck> a = client.send("c1", "a");
    CompletableFuture<SendAck> b = client.send("c1", "b");
    await().until(() -> stream.sends().size() == 2);
    // As after a router stalled: b is refused first and resent while a is still in flight; then a's
    // submission times out (it waits behind b, which holds c1), and b's resend is refused behind a.
    stream.error(refusal("RESOURCE_EXHAUSTED", "OVERLOADED", stream.sends().get(1), 100));
    await().until(() -> stream.sends().size() == 3);
    stream.error(refusal("UNAVAILABLE", "ROUTER_UNAVAILABLE", stream.sends().get(0), 100));
    stream.error(refusal("ABORTED", "EARLIER_SEND_NOT_STORED", stream.sends().get(2), 100));

    await().atMost(Duration.ofSeconds(3)).until(() -> stream.sends().size() == 4);
    assertThat(stream.sends().get(3).getBody()).as("the send the server waits for goes again").isEqualTo("a");
    stream.ack(stream.sends().get(3), 1, false);
    await().until(() -> stream.sends().size() == 5);
    assertThat(stream.sends().get(4).getBody()).isEqualTo("b");
    stream.ack(stream.sends().get(4), 2, false);
    assertThat(a.get().getSeq()).isEqualTo(1);
    assertThat(b.get().getSeq()).isEqualTo(2);
  }

  @Test
  void should_resend_in_the_order_sends_were_written_when_two_threads_raced() throws Exception {
    CountDownLatch firstMayGoOn = new CountDownLatch(1);
    InMemoryOutbox memory = new InMemoryOutbox();
    Outbox slowToReturn = new Outbox() {
      @Override
      public boolean add(SendRequest request) {
        boolean added = memory.add(request);
        if (request.getBody().equals("first")) {
          awaitQuietly(firstMayGoOn); // its caller is descheduled between the outbox and the write queue
        }
        return added;
      }

      @Override
      public Optional<SendRequest> get(String clientMessageId) {
        return memory.get(clientMessageId);
      }

      @Override
      public void remove(String clientMessageId) {
        memory.remove(clientMessageId);
      }

      @Override
      public List<SendRequest> pending() {
        return memory.pending();
      }
    };
    MessengerClient client = harness.start(harness.builder().outbox(slowToReturn));
    FakeStream stream = connected();
    // Welcomed first: a Welcome processed while both are in the outbox would write them in outbox order.
    await().until(() -> client.state() == ConnectionState.CONNECTED || client.state() == ConnectionState.CAUGHT_UP);
    CompletableFuture.runAsync(() -> client.send("c1", "first"));
    await().until(() -> memory.pending().size() == 1);
    client.send("c1", "second");
    await().until(() -> stream.sends().size() == 1);
    firstMayGoOn.countDown();
    await().until(() -> stream.sends().size() == 2);
    assertThat(stream.sends()).extracting(SendRequest::getBody).containsExactly("second", "first");

    // The server's order is the write order: "second" is refused, "first" behind it.
    stream.error(refusal("RESOURCE_EXHAUSTED", "OVERLOADED", stream.sends().get(0), 100));
    stream.error(refusal("ABORTED", "EARLIER_SEND_NOT_STORED", stream.sends().get(1), 100));
    await().until(() -> stream.sends().size() == 3);
    assertThat(stream.sends().get(2).getBody()).as("the one the server waits for goes first").isEqualTo("second");
    stream.ack(stream.sends().get(2), 1, false);
    await().until(() -> stream.sends().size() == 4);
    assertThat(stream.sends().get(3).getBody()).isEqualTo("first");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void should_fail_sends_at_once_when_the_outbox_is_full() {
    MessengerClient client = harness.start(harness.builder().outbox(new InMemoryOutbox(2)));

    CompletableFuture<SendAck> one = client.send("c1", "1");
    CompletableFuture<SendAck> two = client.send("c1", "2");
    CompletableFuture<SendAck> three = client.send("c1", "3");

    assertThat(one).isNotDone();
    assertThat(two).isNotDone();
    assertThat(three).failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(OutboxFullException.class);
  }

  @Test
  void should_resend_what_a_previous_run_left_in_the_outbox() {
    InMemoryOutbox outbox = new InMemoryOutbox();
    SendRequest leftOver = SendRequest.newBuilder()
        .setClientMessageId("01LEFTOVER").setConversationId("c1").setBody("from yesterday").build();
    outbox.add(leftOver);
    harness.start(harness.builder().outbox(outbox));
    FakeStream stream = connected();

    await().until(() -> stream.sends().size() == 1);
    assertThat(stream.sends().get(0)).isEqualTo(leftOver);
    stream.ack(leftOver, 3, true);

    await().until(() -> outbox.pending().isEmpty());
    await().until(() -> harness.listener.sendAcks.size() == 1);
  }

  @Test
  void should_use_unique_client_message_ids_of_at_most_64_characters() {
    MessengerClient client = harness.start();
    FakeStream stream = connected();
    for (int i = 0; i < 50; i++) {
      client.send("c1", "m" + i);
    }

    await().untilAsserted(() -> assertThat(stream.sends()).hasSize(50));
    Set<String> ids = new HashSet<>();
    stream.sends().forEach(send -> ids.add(send.getClientMessageId()));
    assertThat(ids).hasSize(50).allSatisfy(id -> assertThat(id).hasSizeBetween(1, 64));
    assertThat(stream.sends()).extracting(SendRequest::getBody)
        .startsWith("m0", "m1", "m2").endsWith("m49");
  }
}
