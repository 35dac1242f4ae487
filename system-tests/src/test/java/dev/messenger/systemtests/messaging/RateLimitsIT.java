package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.DeliveryAck;
import dev.messenger.api.v1.GetMessagesRequest;
import dev.messenger.api.v1.HeartbeatRequest;
import dev.messenger.api.v1.HistoryGrpc;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.PresenceGrpc;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.api.v1.PresenceWatch;
import dev.messenger.api.v1.ReadMarker;
import dev.messenger.api.v1.ReceiptKind;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.api.v1.StreamError;
import dev.messenger.api.v1.WatchPresenceRequest;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.server.GrpcServers;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.history.HistoryServer;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.presence.PresenceConfig;
import dev.messenger.presence.PresenceNode;
import dev.messenger.presence.store.PresenceStoreConfig;
import dev.messenger.session.SessionNode;
import dev.messenger.session.UserRates;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-user limits besides sends, set low: a flood gets RESOURCE_EXHAUSTED with the limit's reason and a
 * retry delay, what was accepted before goes on working, and the same call passes again after the delay.
 */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RateLimitsIT {
  /** Streams, receipts and watches a second per user (bursts of twice that). */
  private static final UserRates RATES = new UserRates(2, 3, 2);
  private static final int READ_RATE = 3;
  private static final int WATCH_CALL_RATE = 2;
  private static TestCluster cluster;
  private static SessionNode session;
  private static ServiceServer historyServer;
  private static PresenceNode presence;
  private static Connection presenceNats;
  private static ManagedChannel channel;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = TestCluster.start(endpoints);
    session = cluster.startSession("session-limits", c -> c.withRates(RATES));
    cluster.startRouter("router-1");
    historyServer = HistoryServer.start(GrpcServers.netty("127.0.0.1", 0), cluster.history, cluster.tokens,
        new PrometheusRegistry(), READ_RATE);
    presenceNats = cluster.infra.connectNats("presence-1");
    presence = PresenceNode.start(PresenceConfig.defaults(TestCluster.TOKEN_KEY)
            .withEphemeralPorts()
            .withSubjects(cluster.subjects)
            .withStore(PresenceStoreConfig.inKeyspace(cluster.historyConfig.keyspace()))
            .withWatchRate(WATCH_CALL_RATE),
        cluster.infra.connectEtcd(), presenceNats, cluster.cql, new PrometheusRegistry());
    channel = RawSession.channel(session.address(), 1 << 20);
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ownedShards() == 64
        && presence.ownedPartitions().size() == 64);
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (historyServer != null) {
      historyServer.close();
    }
    if (presence != null) {
      presence.close();
      presenceNats.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_end_streams_opened_too_fast_at_once_and_keep_the_open_ones() throws Exception {
    List<RawSession> open = new ArrayList<>();
    RawSession refused = null;
    try {
      for (int device = 0; device < 30 && refused == null; device++) {
        RawSession stream = RawSession.connect(session.address(), cluster.token("cara", "d" + device), 1_000,
            1 << 20).hello();
        await().atMost(Duration.ofSeconds(20)).until(() -> stream.closed.isDone() || welcomed(stream));
        if (stream.closed.isDone()) {
          refused = stream;
        } else {
          open.add(stream);
        }
      }
      assertThat(refused).as("a stream refused within 30 opens").isNotNull();
      assertThat(refused.closed.get().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(ApiErrors.reasonOf(refused.error)).isEqualTo("CONNECT_RATE_LIMITED");
      assertThat(ApiErrors.retryAfterMillisOf(refused.error)).isBetween(1L, 500L);
      assertThat(refused.frames).as("no Welcome").isEmpty();
      assertThat(open).hasSizeGreaterThanOrEqualTo(2 * RATES.connectRate());

      // The streams opened before go on, and after the delay the refused device gets in.
      RawSession first = open.get(0);
      first.send(send("after-refusal", "still here").setToUserId("dan"));
      await().atMost(Duration.ofSeconds(20)).until(() -> acks(first).size() == 1);
      assertThat(open).allSatisfy(s -> assertThat(s.closed).isNotDone());
      // The web's Subscribe streams count the same.
      java.util.concurrent.atomic.AtomicInteger webDevices = new java.util.concurrent.atomic.AtomicInteger();
      StatusRuntimeException web = floodUntilLimited(() -> assertThat(SessionGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(
              cluster.token("cara", "web-" + webDevices.incrementAndGet()))))
          .subscribe(dev.messenger.api.v1.SubscribeRequest.getDefaultInstance()).next().hasWelcome()).isTrue());
      assertLimited(web, "CONNECT_RATE_LIMITED");

      await().pollDelay(Duration.ofMillis(ApiErrors.retryAfterMillisOf(refused.error)))
          .atMost(Duration.ofSeconds(20)).until(() -> {
            RawSession again = RawSession.connect(session.address(), cluster.token("cara", "late"), 1_000, 1 << 20)
                .hello();
            open.add(again);
            await().atMost(Duration.ofSeconds(10)).until(() -> again.closed.isDone() || welcomed(again));
            return welcomed(again);
          });
    } finally {
      open.forEach(RawSession::close);
      if (refused != null) {
        refused.close();
      }
    }
  }

  @Test
  void should_refuse_receipts_beyond_the_rate_on_a_stream_and_unary_and_keep_what_was_accepted() throws Exception {
    SendAck sent = null;
    for (int i = 0; i < 20; i++) {
      sent = as("eli").send(send("to-dora-" + i, "read me").setToUserId("dora").build());
    }
    String conversation = sent.getConversationId();
    long last = sent.getSeq();
    try (RawSession dora = RawSession.connect(session.address(), cluster.token("dora", "phone"), 1_000, 1 << 20)) {
      dora.hello();
      await().atMost(Duration.ofSeconds(20)).until(() -> dora.frames.stream().anyMatch(ServerFrame::hasCaughtUp));
      for (int seq = 1; seq <= last; seq++) {
        dora.send(ClientFrame.newBuilder().setRead(ReadMarker.newBuilder().setConversationId(conversation)
            .setUpToSeq(seq)).build());
      }
      // The first markers (a burst) are stored and told to her own devices: read up to the burst at least.
      await().atMost(Duration.ofSeconds(20)).until(() -> highestRead(dora) >= 2 * RATES.receiptRate());
      await().atMost(Duration.ofSeconds(20)).until(() -> !errors(dora).isEmpty());
      assertThat(errors(dora)).hasSizeLessThanOrEqualTo((int) last - 2 * RATES.receiptRate()).allSatisfy(error -> {
        assertThat(error.getCode()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error.getReason()).isEqualTo("RECEIPT_RATE_LIMITED");
        assertThat(error.getRetryAfterMs()).isBetween(1, 1_000);
      });

      // Unary calls share the user's bucket: flooded, they are refused the same way.
      StatusRuntimeException limited = floodUntilLimited(() -> as("dora").markRead(ReadMarker.newBuilder()
          .setConversationId(conversation).setUpToSeq(last).build()));
      assertLimited(limited, "RECEIPT_RATE_LIMITED");
      assertLimited(floodUntilLimited(() -> as("dora").ackDelivery(DeliveryAck.newBuilder()
          .setConversationId(conversation).setUpToSeq(last).build())), "RECEIPT_RATE_LIMITED");

      // The stream goes on, and after the delay a marker is accepted again.
      dora.send(send("dora-reply", "seen it").setToUserId("eli"));
      await().atMost(Duration.ofSeconds(20)).until(() -> acks(dora).size() == 1);
      assertThat(dora.closed).isNotDone();
      await().pollDelay(Duration.ofMillis(ApiErrors.retryAfterMillisOf(limited))).atMost(Duration.ofSeconds(20))
          .ignoreException(StatusRuntimeException.class)
          .until(() -> as("dora").markRead(ReadMarker.newBuilder().setConversationId(conversation)
              .setUpToSeq(last).build()) != null);
    }
  }

  @Test
  void should_refuse_history_reads_beyond_the_rate_and_serve_them_again_after_the_delay() {
    SendAck sent = as("fred").send(send("history-1", "keep me").setToUserId("gina").build());
    ManagedChannel historyChannel = RawSession.channel("127.0.0.1:" + historyServer.port(), 1 << 20);
    try {
      HistoryGrpc.HistoryBlockingStub gina = HistoryGrpc.newBlockingStub(historyChannel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(cluster.token("gina", "x"))));
      GetMessagesRequest page = GetMessagesRequest.newBuilder().setConversationId(sent.getConversationId()).build();
      // History holds it once the other member reads it (from his own bucket): then Gina floods.
      HistoryGrpc.HistoryBlockingStub fred = HistoryGrpc.newBlockingStub(historyChannel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(cluster.token("fred", "x"))));
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
          .until(() -> fred.getMessages(page).getMessagesCount() == 1);
      List<List<Message>> served = new ArrayList<>();
      StatusRuntimeException limited = floodUntilLimited(() -> served.add(
          gina.withDeadlineAfter(20, TimeUnit.SECONDS).getMessages(page).getMessagesList()));
      assertLimited(limited, "READ_RATE_LIMITED");
      assertThat(served).hasSizeGreaterThanOrEqualTo(2 * READ_RATE)
          .allSatisfy(messages -> assertThat(messages).extracting(Message::getClientMessageId)
              .containsExactly("history-1"));

      await().pollDelay(Duration.ofMillis(ApiErrors.retryAfterMillisOf(limited))).atMost(Duration.ofSeconds(20))
          .ignoreException(StatusRuntimeException.class)
          .until(() -> gina.getMessages(page).getMessagesCount() == 1);
    } finally {
      historyChannel.shutdownNow();
    }
  }

  @Test
  void should_refuse_watch_changes_beyond_the_rate_on_a_stream_and_keep_the_stream() throws Exception {
    try (RawSession hugo = RawSession.connect(session.address(), cluster.token("hugo", "phone"), 1_000, 1 << 20)) {
      hugo.hello();
      await().atMost(Duration.ofSeconds(20)).until(() -> hugo.frames.stream().anyMatch(ServerFrame::hasCaughtUp));
      for (int i = 0; i < 12; i++) {
        hugo.send(ClientFrame.newBuilder().setPresenceWatch(PresenceWatch.newBuilder().addAddUserIds("ida-" + i))
            .build());
      }
      hugo.send(ClientFrame.newBuilder().setHeartbeat(HeartbeatRequest.newBuilder().setClientTimeMs(7)).build());
      await().atMost(Duration.ofSeconds(20)).until(() -> hugo.frames.stream().anyMatch(ServerFrame::hasHeartbeatAck));
      // Strangers are answered OFFLINE with no last seen, one frame each: only the admitted changes get one.
      await().atMost(Duration.ofSeconds(20)).until(() -> errors(hugo).size() + presences(hugo) == 12);
      assertThat(errors(hugo)).isNotEmpty().allSatisfy(error -> {
        assertThat(error.getCode()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error.getReason()).isEqualTo("WATCH_RATE_LIMITED");
        assertThat(error.getRetryAfterMs()).isBetween(1, 1_000);
      });
      assertThat(presences(hugo)).isGreaterThanOrEqualTo(2 * RATES.watchRate());
      assertThat(hugo.closed).isNotDone();
    }
  }

  @Test
  void should_refuse_presence_watch_calls_beyond_the_rate_and_keep_the_open_ones() {
    ManagedChannel presenceChannel = RawSession.channel("127.0.0.1:" + presence.port(), 1 << 20);
    try {
      PresenceGrpc.PresenceBlockingStub jana = PresenceGrpc.newBlockingStub(presenceChannel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(cluster.token("jana", "x"))));
      WatchPresenceRequest self = WatchPresenceRequest.newBuilder().addUserIds("jana").build();
      List<Iterator<PresenceUpdate>> watches = new ArrayList<>();
      StatusRuntimeException limited = floodUntilLimited(() -> {
        Iterator<PresenceUpdate> watch = jana.watchPresence(self);
        assertThat(watch.next().getUserId()).isEqualTo("jana");
        watches.add(watch);
      });
      assertLimited(limited, "WATCH_RATE_LIMITED");
      assertThat(watches).hasSizeGreaterThanOrEqualTo(2 * WATCH_CALL_RATE);

      await().pollDelay(Duration.ofMillis(ApiErrors.retryAfterMillisOf(limited))).atMost(Duration.ofSeconds(20))
          .ignoreException(StatusRuntimeException.class)
          .until(() -> jana.watchPresence(self).next().getUserId().equals("jana"));
    } finally {
      presenceChannel.shutdownNow();
    }
  }

  /** Calls until one is refused (at most 100 calls); returns the refusal. */
  private static StatusRuntimeException floodUntilLimited(Runnable call) {
    for (int i = 0; i < 100; i++) {
      try {
        call.run();
      } catch (StatusRuntimeException e) {
        return e;
      }
    }
    throw new AssertionError("100 calls and none refused");
  }

  private static void assertLimited(StatusRuntimeException e, String reason) {
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ApiErrors.reasonOf(e)).isEqualTo(reason);
    assertThat(ApiErrors.retryAfterMillisOf(e)).isBetween(1L, 1_000L);
  }

  private static SessionGrpc.SessionBlockingStub as(String user) {
    return SessionGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(cluster.token(user, "web"))));
  }

  private static SendRequest.Builder send(String clientId, String body) {
    return SendRequest.newBuilder().setClientMessageId(clientId).setBody(body);
  }

  private static boolean welcomed(RawSession s) {
    return s.frames.stream().anyMatch(ServerFrame::hasWelcome);
  }

  private static List<StreamError> errors(RawSession s) {
    return s.frames.stream().filter(ServerFrame::hasError).map(ServerFrame::getError).toList();
  }

  private static List<SendAck> acks(RawSession s) {
    return s.frames.stream().filter(ServerFrame::hasSendAck).map(ServerFrame::getSendAck).toList();
  }

  private static long highestRead(RawSession s) {
    return s.frames.stream().filter(f -> f.hasReceipt() && f.getReceipt().getKind() == ReceiptKind.RECEIPT_KIND_READ)
        .mapToLong(f -> f.getReceipt().getUpToSeq()).max().orElse(0);
  }

  private static long presences(RawSession s) {
    return s.frames.stream().filter(ServerFrame::hasPresence).count();
  }
}
