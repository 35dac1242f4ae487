package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class ReconnectTest {
  private final ClientHarness harness = new ClientHarness();

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private FakeStream awaitStream(int index) {
    await().until(() -> harness.server.streams().size() > index
        && !harness.server.stream(index).frames().isEmpty());
    return harness.server.stream(index);
  }

  @Test
  void should_reconnect_after_unavailable_and_resend_unacked_sends_with_the_same_ids() throws Exception {
    MessengerClient client = harness.start();
    FakeStream first = awaitStream(0);
    first.welcome().caughtUp();
    AtomicInteger completions = new AtomicInteger();
    CompletableFuture<SendAck> one = client.send("c1", "one");
    CompletableFuture<SendAck> two = client.sendTo("bob", "two");
    one.thenRun(completions::incrementAndGet);
    two.thenRun(completions::incrementAndGet);
    await().until(() -> first.sends().size() == 2);
    SendRequest sentOne = first.sends().get(0);
    SendRequest sentTwo = first.sends().get(1);
    assertThat(sentTwo.getToUserId()).isEqualTo("bob");
    first.ack(sentOne, 10, false);
    assertThat(one.get().getSeq()).isEqualTo(10);

    first.fail(Status.Code.UNAVAILABLE, "SERVER_DRAINING");
    await().until(() -> client.state() == ConnectionState.DISCONNECTED
        || harness.server.streams().size() > 1);
    CompletableFuture<SendAck> three = client.send("c1", "three");
    three.thenRun(completions::incrementAndGet);
    FakeStream second = awaitStream(1);
    second.welcome().caughtUp();

    await().until(() -> second.sends().size() == 2);
    assertThat(sentTwo.getFirstAttempt()).isTrue();
    assertThat(second.sends().get(0)).isEqualTo(sentTwo.toBuilder().setFirstAttempt(false).build());
    assertThat(second.sends().get(1).getBody()).isEqualTo("three");
    assertThat(second.sends().get(1).getFirstAttempt()).isTrue();
    assertThat(second.authorization()).isEqualTo("Bearer token-2");
    assertThat(harness.listener.errorReasons()).contains("SERVER_DRAINING");

    second.ack(sentTwo, 11, true).ack(sentTwo, 11, true).ack(second.sends().get(1), 12, false);

    assertThat(two.get().getDuplicate()).isTrue();
    assertThat(three.get().getSeq()).isEqualTo(12);
    await().until(() -> harness.listener.sendAcks.size() == 3);
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
        .until(() -> harness.listener.sendAcks.size() == 3 && completions.get() == 3);
    assertThat(harness.listener.sendAcks).extracting(SendAck::getClientMessageId).doesNotHaveDuplicates();
    assertThat(client.stats().sendsAcked()).isEqualTo(3);
  }

  @Test
  void should_reconnect_no_sooner_than_the_retry_delay_of_a_refused_stream() {
    harness.start();
    FakeStream refused = awaitStream(0);
    long refusedAt = System.nanoTime();
    refused.fail(Status.Code.RESOURCE_EXHAUSTED, "CONNECT_RATE_LIMITED", Duration.ofMillis(700));

    FakeStream next = awaitStream(1);
    assertThat(Duration.ofNanos(System.nanoTime() - refusedAt)).as("the backoff alone is at most 50 ms")
        .isGreaterThanOrEqualTo(Duration.ofMillis(700));
    next.welcome().caughtUp();
    await().until(() -> harness.listener.errorReasons().contains("CONNECT_RATE_LIMITED"));
  }

  @Test
  void should_write_a_send_made_before_connecting_exactly_once() {
    MessengerClient client = harness.start();
    CompletableFuture<SendAck> early = client.send("c1", "before connect");
    FakeStream stream = awaitStream(0);
    stream.welcome();

    await().until(() -> stream.sends().size() == 1);
    await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2))
        .until(() -> stream.sends().size() == 1);
    stream.ack(stream.sends().get(0), 1, false);
    await().until(early::isDone);
  }

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"UNAUTHENTICATED", "PERMISSION_DENIED"})
  void should_close_without_reconnecting_on_auth_errors(Status.Code code) {
    MessengerClient client = harness.start();
    FakeStream stream = awaitStream(0);
    CompletableFuture<SendAck> pending = client.send("c1", "never acked");

    stream.fail(code, "INVALID_TOKEN");

    await().until(() -> client.state() == ConnectionState.CLOSED);
    await().until(() -> harness.listener.states.contains(ConnectionState.CLOSED));
    assertThat(harness.listener.errors).anySatisfy(error -> {
      assertThat(error.getCode()).isEqualTo(code.name());
      assertThat(error.getReason()).isEqualTo("INVALID_TOKEN");
    });
    await().until(pending::isDone);
    assertThat(pending).failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(ClientClosedException.class);
    assertThat(client.send("c1", "after close")).isCompletedExceptionally();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> harness.server.streams().size() == 1);
  }

  @Test
  void should_run_discovery_again_and_fetch_a_fresh_token_on_every_reconnect() {
    harness.start();
    for (int i = 0; i < 3; i++) {
      FakeStream stream = awaitStream(i);
      stream.welcome();
      stream.fail(Status.Code.UNAVAILABLE, "SERVER_DRAINING");
    }
    FakeStream fourth = awaitStream(3);

    assertThat(fourth.authorization()).isEqualTo("Bearer token-4");
    assertThat(harness.server.discoveryCalls()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void should_resend_the_presence_watch_list_and_pending_read_markers_after_reconnect() {
    MessengerClient client = harness.start();
    FakeStream first = awaitStream(0);
    first.welcome();
    client.watchPresence(List.of("bob", "carol"), List.of());
    client.watchPresence(List.of(), List.of("carol"));
    await().until(() -> first.frames().stream().filter(ClientFrame::hasPresenceWatch).count() >= 1);

    first.fail(Status.Code.UNAVAILABLE, "SERVER_DRAINING");
    client.markRead("c1", 4);
    client.markRead("c1", 9);
    FakeStream second = awaitStream(1);
    second.welcome();

    await().untilAsserted(() -> assertThat(second.frames())
        .filteredOn(ClientFrame::hasPresenceWatch)
        .singleElement()
        .satisfies(frame -> assertThat(frame.getPresenceWatch().getAddUserIdsList()).containsExactly("bob")));
    await().untilAsserted(() -> assertThat(second.frames())
        .filteredOn(ClientFrame::hasRead)
        .singleElement()
        .satisfies(frame -> assertThat(frame.getRead().getUpToSeq()).isEqualTo(9)));
  }
}
