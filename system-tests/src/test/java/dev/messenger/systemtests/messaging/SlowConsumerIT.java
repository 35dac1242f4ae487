package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Promise 6: a client that never reads is cut, and nobody else notices; it catches up when it returns. */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SlowConsumerIT {
  private static final int QUEUE = 64;
  private static TestCluster cluster;
  private static SessionNode session;
  private static SessionNode defaultSession;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = TestCluster.start(endpoints);
    session = cluster.startSession("session-slow", c -> c.withMaxQueuedFrames(QUEUE).withSendRate(5_000));
    defaultSession = cluster.startSession("session-default-limits", c -> c.withSendRate(5_000));
    cluster.startRouter("router-1");
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ownedShards() == 64);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_cut_a_stalled_client_without_buffering_for_it_and_let_it_resume_from_its_cursor() throws Exception {
    DeviceRecorder senderDevice = new DeviceRecorder("gina");
    MessengerClient sender = cluster.track(cluster.clientBuilder("gina", "phone", session, senderDevice)
        .cursorStore(new InMemoryCursorStore()).useDiscovery(false).build().start());
    assertThat(sender.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();

    // A device that says Hello, then never reads, behind a small HTTP/2 window.
    RawSession stalled = RawSession.connect(session.address(), cluster.token("hank", "phone"), 0, 16 * 1024);
    stalled.hello();
    await().atMost(Duration.ofSeconds(10)).until(() -> session.openStreams() == 2);

    String body = "x".repeat(500);
    List<CompletableFuture<SendAck>> acks = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      acks.add(sender.sendTo("hank", body + i));
      if (i % 500 == 499) {
        // The client library's outbox holds 1,000 unacknowledged sends.
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      }
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    String conversation = acks.get(0).join().getConversationId();

    // The server gave up on the stalled stream instead of queueing 2,000 deliveries for it.
    await().atMost(Duration.ofSeconds(30)).until(() -> session.openStreams() == 1);
    // The sender's own stream was unaffected: it received its 2,000 messages in order.
    await().atMost(Duration.ofSeconds(30)).until(() -> senderDevice.in(conversation).size() == 2_000);

    // When it reads again, it finds at most what the bounded queue and the HTTP/2 window held, then the cut.
    stalled.request(Integer.MAX_VALUE);
    Status status = stalled.closed.get(30, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ApiErrors.reasonOf(stalled.error)).isEqualTo("SLOW_CONSUMER");
    long delivered = stalled.frames.stream().filter(ServerFrame::hasDelivery).count();
    assertThat(delivered).isLessThan(2_000).isLessThanOrEqualTo(QUEUE + 16 * 1024 / 500 + 64);
    stalled.close();

    // It resumes from its cursor (what it got) and receives the rest, once, in order.
    long cursor = stalled.frames.stream().filter(ServerFrame::hasDelivery)
        .mapToLong(f -> f.getDelivery().getMessage().getSeq()).max().orElse(0);
    DeviceRecorder back = new DeviceRecorder("hank-again");
    MessengerClient resumed = cluster.track(cluster.clientBuilder("hank", "phone", session, back)
        .cursorStore(new InMemoryCursorStore(Cursor.newBuilder().putSeqs(conversation, cursor).build()))
        .useDiscovery(false).build().start());
    assertThat(resumed.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> back.in(conversation).size() == 2_000 - cursor);
    assertThat(back.in(conversation)).extracting(Message::getSeq)
        .containsExactlyElementsOf(LongStream.rangeClosed(cursor + 1, 2_000).boxed().toList());
  }

  @Test
  void should_cut_a_stalled_client_by_the_bytes_queued_for_it_not_only_by_frames() throws Exception {
    MessengerClient sender = cluster.track(cluster.clientBuilder("ivan", "phone", defaultSession,
        new DeviceRecorder("ivan")).cursorStore(new InMemoryCursorStore()).useDiscovery(false).build().start());
    assertThat(sender.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    RawSession stalled = RawSession.connect(defaultSession.address(), cluster.token("jill", "phone"), 0, 16 * 1024);
    stalled.hello();
    await().atMost(Duration.ofSeconds(10)).until(() -> defaultSession.openStreams() == 2);

    // 60 messages of 100,000 four-byte characters: ~24 MB, far below the 1,024 frames a stream may queue.
    String body = "\uD83D\uDE00".repeat(99_990);
    List<CompletableFuture<SendAck>> acks = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      acks.add(sender.sendTo("jill", body + String.format("%05d", i)));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(60)).until(() -> defaultSession.openStreams() == 1);
    stalled.request(Integer.MAX_VALUE);
    Status status = stalled.closed.get(30, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ApiErrors.reasonOf(stalled.error)).isEqualTo("SLOW_CONSUMER");
    assertThat(stalled.frames.stream().filter(ServerFrame::hasDelivery).count()).isLessThan(60);
    stalled.close();
  }
}
