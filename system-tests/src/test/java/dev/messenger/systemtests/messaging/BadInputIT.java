package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.DeliveryAck;
import dev.messenger.api.v1.GetMessagesRequest;
import dev.messenger.api.v1.HistoryGrpc;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.api.v1.StreamError;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.server.GrpcServers;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.history.HistoryServer;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Promises 7 and 8: every bad input gets a precise status, and nothing accepted before is lost. */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BadInputIT {
  private static final int RATE = 5;
  private static TestCluster cluster;
  private static SessionNode session;
  private static ServiceServer historyServer;
  private static ManagedChannel channel;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = TestCluster.start(endpoints);
    session = cluster.startSession("session-bad", c -> c.withSendRate(RATE));
    cluster.startRouter("router-1");
    historyServer = HistoryServer.start(GrpcServers.netty("127.0.0.1", 0), cluster.history,
        new Tokens(TestCluster.TOKEN_KEY, Clock.systemUTC()), new PrometheusRegistry());
    channel = RawSession.channel(session.address(), 1 << 20);
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ownedShards() == 64);
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (historyServer != null) {
      historyServer.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static SessionGrpc.SessionBlockingStub as(String user) {
    return SessionGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(cluster.token(user, "phone"))));
  }

  @Test
  void should_answer_bad_sends_on_a_stream_with_stream_errors_and_keep_the_stream() throws Exception {
    RawSession stream = RawSession.connect(session.address(), cluster.token("ivy", "phone"), 1_000, 1 << 20);
    stream.hello();
    stream.send(send("empty", "").setToUserId("jack"));
    stream.send(send("long", "y".repeat(100_001)).setToUserId("jack"));
    stream.send(send("foreign", "hi").setConversationId("dm:jack:kate"));
    stream.send(send("self", "hi").setToUserId("ivy"));
    stream.send(send("good", "a fine message").setToUserId("jack"));
    stream.send(ClientFrame.newBuilder().setDeliveryAck(DeliveryAck.newBuilder()
        .setConversationId("dm:ivy:jack").setUpToSeq(1_000)).build());

    await().atMost(Duration.ofSeconds(20)).until(() -> errors(stream).size() >= 5 && acks(stream).size() == 1);
    assertThat(errors(stream)).extracting(StreamError::getClientMessageId, StreamError::getCode, StreamError::getReason)
        .contains(
            org.assertj.core.groups.Tuple.tuple("empty", "INVALID_ARGUMENT", "EMPTY_BODY"),
            org.assertj.core.groups.Tuple.tuple("long", "INVALID_ARGUMENT", "BODY_TOO_LONG"),
            org.assertj.core.groups.Tuple.tuple("foreign", "PERMISSION_DENIED", "NOT_A_MEMBER"),
            org.assertj.core.groups.Tuple.tuple("self", "INVALID_ARGUMENT", "SELF_CONVERSATION"),
            org.assertj.core.groups.Tuple.tuple("", "INVALID_ARGUMENT", "SEQ_OUT_OF_RANGE"));
    assertThat(acks(stream)).extracting(SendAck::getClientMessageId).containsExactly("good");
    assertThat(stream.closed).isNotDone();
    stream.close();
  }

  @Test
  void should_refuse_an_oversized_frame_alone_and_keep_the_stream() throws Exception {
    RawSession stream = RawSession.connect(session.address(), cluster.token("nina", "phone"), 1_000, 1 << 20);
    stream.hello();
    stream.send(send("huge", "z".repeat(1_200_000)).setToUserId("omar"));
    stream.send(send("after", "still here").setToUserId("omar"));

    await().atMost(Duration.ofSeconds(20)).until(() -> errors(stream).size() == 1 && acks(stream).size() == 1);
    assertThat(errors(stream)).extracting(StreamError::getClientMessageId, StreamError::getCode, StreamError::getReason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("huge", "RESOURCE_EXHAUSTED", "MESSAGE_TOO_LARGE"));
    assertThat(errors(stream).get(0).getMessage()).contains(String.valueOf(GrpcServers.MAX_INBOUND_MESSAGE_BYTES));
    assertThat(acks(stream).get(0).getClientMessageId()).isEqualTo("after");
    assertStatus(() -> as("nina").send(send("huge-unary", "z".repeat(1_200_000)).setToUserId("omar").build()),
        Status.Code.RESOURCE_EXHAUSTED, "MESSAGE_TOO_LARGE");
    stream.close();
  }

  @Test
  void should_reject_a_stream_that_does_not_start_with_hello() throws Exception {
    RawSession stream = RawSession.connect(session.address(), cluster.token("ivy", "tablet"), 10, 1 << 20);
    stream.send(send("early", "hi").setToUserId("jack"));
    Status status = stream.closed.get(20, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(ApiErrors.reasonOf(stream.error)).isEqualTo("HELLO_REQUIRED");
    stream.close();
  }

  @Test
  void should_reject_unauthenticated_and_forged_calls() {
    assertStatus(() -> SessionGrpc.newBlockingStub(channel).send(send("x", "hi").setToUserId("jack").build()),
        Status.Code.UNAUTHENTICATED, "MISSING_TOKEN");
    String forged = new Tokens("another-key-that-is-long-enough-0123456789", Clock.systemUTC())
        .issue(new Principal("jack", "phone"), Duration.ofHours(1));
    assertStatus(() -> SessionGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(forged)))
            .send(send("x", "hi").setToUserId("ivy").build()),
        Status.Code.UNAUTHENTICATED, "INVALID_TOKEN");
    String expired = new Tokens(TestCluster.TOKEN_KEY, Clock.fixed(Instant.now().minus(Duration.ofHours(2)),
        ZoneOffset.UTC)).issue(new Principal("jack", "phone"), Duration.ofHours(1));
    assertStatus(() -> SessionGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(expired)))
            .send(send("x", "hi").setToUserId("ivy").build()),
        Status.Code.UNAUTHENTICATED, "INVALID_TOKEN");
    assertStatus(() -> dev.messenger.api.v1.DiscoveryGrpc.newBlockingStub(channel)
            .getSessionServers(dev.messenger.api.v1.GetSessionServersRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED, "MISSING_TOKEN");
    assertThat(dev.messenger.api.v1.DiscoveryGrpc.newBlockingStub(channel)
            .withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(cluster.token("jack", "phone"))))
            .getSessionServers(dev.messenger.api.v1.GetSessionServersRequest.getDefaultInstance()).getServersList())
        .extracting(dev.messenger.api.v1.SessionServer::getAddress).contains(session.address());
  }

  @Test
  void should_not_let_anyone_read_a_conversation_they_are_not_in() {
    SendAck ack = as("lena").send(send("private-1", "just us").setToUserId("mike").build());
    HistoryGrpc.HistoryBlockingStub intruder = HistoryGrpc.newBlockingStub(RawSession.channel(
            "127.0.0.1:" + historyServer.port(), 1 << 20))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(cluster.token("nina", "x"))));
    assertStatus(() -> intruder.getMessages(GetMessagesRequest.newBuilder()
        .setConversationId(ack.getConversationId()).build()), Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");
    assertStatus(() -> as("nina").send(send("sneak", "let me in").setConversationId(ack.getConversationId()).build()),
        Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");
    assertStatus(() -> as("nina").ackDelivery(DeliveryAck.newBuilder().setConversationId(ack.getConversationId())
        .setUpToSeq(ack.getSeq()).build()), Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");
    assertStatus(() -> as("nina").markRead(dev.messenger.api.v1.ReadMarker.newBuilder()
        .setConversationId(ack.getConversationId()).setUpToSeq(ack.getSeq()).build()),
        Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");
    assertStatus(() -> as("mike").ackDelivery(DeliveryAck.newBuilder().setConversationId(ack.getConversationId())
        .setUpToSeq(ack.getSeq() + 100).build()), Status.Code.INVALID_ARGUMENT, "SEQ_OUT_OF_RANGE");
  }

  @Test
  void should_pass_web_typing_on_once_per_change_and_refuse_a_non_member_every_time() throws Exception {
    try (RawSession bob = RawSession.connect(session.address(), cluster.token("tara", "phone"), 1_000, 1 << 20)) {
      bob.hello();
      await().atMost(Duration.ofSeconds(20)).until(() -> bob.frames.stream().anyMatch(ServerFrame::hasCaughtUp));
      String conversation = dev.messenger.common.ConversationIds.direct("sam", "tara");
      // A web client calls SetTyping on every keystroke, then once when the user stops.
      for (boolean typing : List.of(true, true, true, true, true, false, false)) {
        as("sam").setTyping(dev.messenger.api.v1.Typing.newBuilder().setConversationId(conversation)
            .setTyping(typing).build());
      }
      for (int attempt = 0; attempt < 2; attempt++) {
        assertStatus(() -> as("uma").setTyping(dev.messenger.api.v1.Typing.newBuilder()
            .setConversationId(conversation).setTyping(true).build()), Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");
      }
      // One server publishes in call order on one connection: once this one is in, Sam's are all in.
      String marker = dev.messenger.common.ConversationIds.direct("tara", "vic");
      as("vic").setTyping(dev.messenger.api.v1.Typing.newBuilder().setConversationId(marker).setTyping(true).build());
      await().atMost(Duration.ofSeconds(20)).until(() -> bob.frames.stream()
          .anyMatch(f -> f.hasTyping() && f.getTyping().getConversationId().equals(marker)));

      assertThat(bob.frames.stream().filter(f -> f.hasTyping() && f.getTyping().getConversationId().equals(conversation))
          .map(f -> f.getTyping().getTyping()).toList())
          .as("a start and a stop, not seven fan-outs").containsExactly(true, false);
    }
  }

  @Test
  void should_reject_malformed_frames_precisely() throws Exception {
    // A SendRequest whose body is not UTF-8.
    byte[] badUtf8 = frame(2, concat(field(1, "bad-utf8".getBytes()), field(3, "jack".getBytes()),
        field(4, new byte[] {(byte) 0xC3, (byte) 0x28})));
    Status status = rawConnect("olga", List.of(helloBytes(), badUtf8));
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("could not be parsed");

    // Bytes that are not a protobuf message at all.
    Status garbage = rawConnect("olga", List.of(helloBytes(), new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01}));
    assertThat(garbage.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

    // A known field sent with the wrong wire type is ignored as unknown: the send lacks its body.
    SendRequest wrongType = SendRequest.parseFrom(concat(field(1, "wrong-type".getBytes()),
        field(3, "jack".getBytes()), varintField(4, 42)));
    assertStatus(() -> as("olga").send(wrongType), Status.Code.INVALID_ARGUMENT, "EMPTY_BODY");
  }

  @Test
  void should_rate_limit_a_flood_and_keep_what_was_accepted() throws Exception {
    List<String> accepted = new ArrayList<>();
    StatusRuntimeException limited = null;
    for (int i = 0; i < 100 && limited == null; i++) {
      try {
        accepted.add(as("pete").send(send("flood-" + i, "flood " + i).setToUserId("quinn").build())
            .getClientMessageId());
      } catch (StatusRuntimeException e) {
        limited = e;
      }
    }
    assertThat(limited).isNotNull();
    assertThat(limited.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ApiErrors.reasonOf(limited)).isEqualTo("RATE_LIMITED");
    assertThat(accepted).hasSizeGreaterThanOrEqualTo(2 * RATE);
    // Another user is not affected, and everything accepted before is stored.
    assertThat(as("rosa").send(send("calm", "hello").setToUserId("quinn").build()).getSeq()).isEqualTo(1);
    List<Message> stored = cluster.log.readLog("dm:pete:quinn", 0, 1_000).toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    assertThat(stored).extracting(Message::getClientMessageId).containsExactlyElementsOf(accepted);
  }

  /**
   * A user whose devices sit on two session servers floods through both: the servers share the user's one
   * rate (each charges what the other admitted; each alone would let 2r + r·t through, twice that in all).
   */
  @Test
  void should_hold_a_user_flooding_through_two_servers_to_one_rate() throws Exception {
    SessionNode second = cluster.startSession("session-bad-2", c -> c.withSendRate(RATE));
    try (RawSession phone = RawSession.connect(session.address(), cluster.token("sam", "phone"), 1_000, 1 << 20);
        RawSession laptop = RawSession.connect(second.address(), cluster.token("sam", "laptop"), 1_000, 1 << 20)) {
      phone.hello();
      laptop.hello();
      await().atMost(Duration.ofSeconds(20)).until(() -> phone.frames.stream().anyMatch(ServerFrame::hasCaughtUp)
          && laptop.frames.stream().anyMatch(ServerFrame::hasCaughtUp));
      assertFloodHeldToOneRate("sam", second);
    } finally {
      second.close();
    }
  }

  /** The same without any stream: unary sends a load balancer spreads over servers that hold none of hers. */
  @Test
  void should_hold_a_user_flooding_two_servers_with_unary_sends_alone_to_one_rate() throws Exception {
    SessionNode second = cluster.startSession("session-bad-3", c -> c.withSendRate(RATE));
    try {
      assertFloodHeldToOneRate("stan", second);
    } finally {
      second.close();
    }
  }

  /** 20 unary sends a second for 3 s through each server, four times the rate each; all admitted are stored. */
  private static void assertFloodHeldToOneRate(String user, SessionNode second) throws Exception {
    ManagedChannel secondChannel = RawSession.channel(second.address(), 1 << 20);
    List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger limited = new AtomicInteger();
    List<SessionGrpc.SessionBlockingStub> devices = List.of(
        deviceOf(channel, user, "phone"), deviceOf(secondChannel, user, "laptop"));
    ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
    int attemptsEach = 60;
    try {
      List<ScheduledFuture<?>> floods = new ArrayList<>();
      for (int d = 0; d < devices.size(); d++) {
        SessionGrpc.SessionBlockingStub device = devices.get(d);
        String prefix = "two-servers-" + d + "-";
        AtomicInteger sent = new AtomicInteger();
        // The pacing is the load's shape, not a wait for a condition.
        floods.add(pacer.scheduleAtFixedRate(() -> {
          int i = sent.getAndIncrement();
          if (i >= attemptsEach) {
            return;
          }
          try {
            accepted.add(device.withDeadlineAfter(20, TimeUnit.SECONDS)
                .send(send(prefix + i, "flood " + i).setToUserId("tom").build()).getClientMessageId());
          } catch (StatusRuntimeException e) {
            if (ApiErrors.reasonOf(e).equals("RATE_LIMITED")) {
              limited.incrementAndGet();
            }
          }
        }, 0, 50, TimeUnit.MILLISECONDS));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() + limited.get() == 2 * attemptsEach);
      floods.forEach(flood -> flood.cancel(false));
    } finally {
      pacer.shutdownNow();
      secondChannel.shutdownNow();
    }

    int oneRate = 2 * RATE + 3 * RATE; // a burst, then 3 s at the rate
    assertThat(accepted).as("sends admitted through both servers together").hasSizeBetween(oneRate - RATE,
        oneRate + RATE);
    List<Message> stored = cluster.log.readLog(ConversationIds.direct(user, "tom"), 0, 1_000)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(stored).extracting(Message::getClientMessageId).containsExactlyInAnyOrderElementsOf(accepted);
  }

  private static SessionGrpc.SessionBlockingStub deviceOf(ManagedChannel server, String user, String device) {
    return SessionGrpc.newBlockingStub(server).withInterceptors(
        MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(cluster.token(user, device))));
  }

  private static SendRequest.Builder send(String clientId, String body) {
    return SendRequest.newBuilder().setClientMessageId(clientId).setBody(body);
  }

  private static List<StreamError> errors(RawSession s) {
    return s.frames.stream().filter(ServerFrame::hasError).map(ServerFrame::getError).toList();
  }

  private static List<SendAck> acks(RawSession s) {
    return s.frames.stream().filter(ServerFrame::hasSendAck).map(ServerFrame::getSendAck).toList();
  }

  private static void assertStatus(Runnable call, Status.Code code, String reason) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(ApiErrors.reasonOf(e)).isEqualTo(reason);
    });
  }

  /** Sends raw frames on Connect and returns the status the server ends the call with. */
  private static Status rawConnect(String user, List<byte[]> frames) throws Exception {
    MethodDescriptor<byte[], byte[]> method =
        SessionGrpc.getConnectMethod().toBuilder(RawCall.BYTES, RawCall.BYTES).build();
    ClientCall<byte[], byte[]> call = channel.newCall(method, CallOptions.DEFAULT);
    CompletableFuture<Status> closed = new CompletableFuture<>();
    Metadata headers = RawSession.bearer(cluster.token(user, "raw"));
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, headers);
    call.request(100);
    for (byte[] f : frames) {
      call.sendMessage(f);
    }
    return closed.get(20, TimeUnit.SECONDS);
  }

  private static byte[] helloBytes() {
    return ClientFrame.newBuilder().setHello(dev.messenger.api.v1.Hello.getDefaultInstance()).build().toByteArray();
  }

  private static byte[] field(int number, byte[] value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    coded.writeBytes(number, ByteString.copyFrom(value));
    coded.flush();
    return out.toByteArray();
  }

  private static byte[] varintField(int number, long value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    coded.writeInt64(number, value);
    coded.flush();
    return out.toByteArray();
  }

  private static byte[] frame(int number, byte[] message) throws IOException {
    return field(number, message);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
