package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.core.read.ListAppender;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.CreateGroupRequest;
import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.DiscoveryGrpc;
import dev.messenger.api.v1.GetMessagesRequest;
import dev.messenger.api.v1.GroupsGrpc;
import dev.messenger.api.v1.HeartbeatRequest;
import dev.messenger.api.v1.Hello;
import dev.messenger.api.v1.HistoryGrpc;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.api.v1.StreamError;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.server.GrpcServers;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.history.HistoryServer;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.session.UserRates;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Coverage-guided fuzzing (Jazzer) of every request the session server and History take, as raw bytes with
 * a valid token: a Connect stream's first frame, a frame after a Hello, and the request of every other
 * method of Session, Groups, Discovery and History. The servers run in this JVM, so their coverage guides
 * the fuzzer. Every input must end in a precise status (a code that is not UNKNOWN, INTERNAL, UNAVAILABLE or
 * a timeout, with a reason and a message), on the call or in each StreamError; the server must answer a
 * valid request afterwards, log no ERROR and keep no stream open.
 *
 * <p>Without JAZZER_FUZZ the inputs committed under {@code HostileInputFuzzITInputs/hostileInput} run as
 * regression tests. The failsafe execution "fuzz" fuzzes for {@code -Dfuzz.seconds} in a JVM of its own
 * (Jazzer instruments classes) and writes what fails there.
 */
@WithRealInfrastructure
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class HostileInputFuzzIT {
  private static final org.slf4j.Logger log = LoggerFactory.getLogger(HostileInputFuzzIT.class);
  /** Owns the fixtures the seeds name: {@link #DIRECT} and {@link #GROUP} (of "peer" and "pal" too). */
  private static final String USER = "fuzz";
  private static final String DIRECT = "dm:fuzz:peer";
  /** The group USER's CreateGroup with client_request_id "fuzz-group" makes. */
  private static final String GROUP = "g:2e7cfbc395672da6b411d757";
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(20);
  private static final Set<Status.Code> IMPRECISE = Set.of(Status.Code.UNKNOWN, Status.Code.INTERNAL,
      Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED, Status.Code.DATA_LOSS,
      Status.Code.UNIMPLEMENTED);

  /**
   * What an input is sent to, picked by its last byte (modulo the count). Append new targets at the end:
   * the committed inputs end with the index of theirs.
   */
  private static final List<Target> TARGETS = List.of(
      new Target("Connect, first frame", SessionGrpc.getConnectMethod(), HostileInputFuzzIT::firstFrame),
      new Target("Connect, after Hello", SessionGrpc.getConnectMethod(), HostileInputFuzzIT::afterHello),
      request(SessionGrpc.getSubscribeMethod()),
      request(SessionGrpc.getSendMethod()),
      request(SessionGrpc.getAckDeliveryMethod()),
      request(SessionGrpc.getMarkReadMethod()),
      request(SessionGrpc.getSetTypingMethod()),
      request(SessionGrpc.getHeartbeatMethod()),
      request(GroupsGrpc.getCreateGroupMethod()),
      request(GroupsGrpc.getAddMembersMethod()),
      request(GroupsGrpc.getRemoveMembersMethod()),
      request(GroupsGrpc.getLeaveGroupMethod()),
      request(GroupsGrpc.getGetGroupMethod()),
      request(GroupsGrpc.getRenameGroupMethod()),
      request(GroupsGrpc.getSetMemberRoleMethod()),
      request(DiscoveryGrpc.getGetSessionServersMethod()),
      request(HistoryGrpc.getListConversationsMethod()),
      request(HistoryGrpc.getGetMessagesMethod()),
      request(HistoryGrpc.getSyncMethod()),
      request(HistoryGrpc.getGetReceiptSummaryMethod()));

  private static final Map<String, LongAdder> executions = new TreeMap<>();
  private static final AtomicLong findings = new AtomicLong();
  /** Streams and subscriptions each open as a user of their own: catch-up stays empty however long the run. */
  private static final AtomicLong freshUsers = new AtomicLong();
  private static final ListAppender<ILoggingEvent> errors = new ListAppender<>();
  private static final Logger ours = (Logger) LoggerFactory.getLogger("dev.messenger");
  private static final int UNLIMITED = 1_000_000;
  private static TestCluster cluster;
  private static SessionNode session;
  private static ServiceServer history;
  private static ManagedChannel sessionChannel;
  private static ManagedChannel historyChannel;
  private static long startedNanos;

  private record Target(String name, MethodDescriptor<?, ?> method, Consumer<byte[]> run) {
    boolean toHistory() {
      return method.getServiceName().equals(HistoryGrpc.SERVICE_NAME);
    }
  }

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = TestCluster.start(endpoints);
    // A low send rate bounds what the fuzzer stores for USER (History reads all of it): refusals are precise too.
    // The other per-user limits (RateLimitsIT) are lifted: at a hundred inputs a second they would answer most
    // of them before any of the code under test runs.
    session = cluster.startSession("session-fuzz",
        c -> c.withSendRate(5).withRates(new UserRates(UNLIMITED, UNLIMITED, UNLIMITED)));
    cluster.startRouter("router-fuzz");
    history = HistoryServer.start(GrpcServers.netty("127.0.0.1", 0), cluster.history, cluster.tokens,
        new PrometheusRegistry(), UNLIMITED);
    sessionChannel = RawSession.channel(session.address(), 1 << 20);
    historyChannel = RawSession.channel("127.0.0.1:" + history.port(), 1 << 20);
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ownedShards() == 64);
    SessionGrpc.newBlockingStub(sessionChannel).withInterceptors(bearer(USER))
        .send(SendRequest.newBuilder().setClientMessageId("fixture").setToUserId("peer").setBody("hi").build());
    assertThat(GroupsGrpc.newBlockingStub(sessionChannel).withInterceptors(bearer(USER))
        .createGroup(CreateGroupRequest.newBuilder().setClientRequestId("fuzz-group").setTitle("fuzzers")
            .addMemberUserIds("peer").addMemberUserIds("pal").build()).getConversationId()).isEqualTo(GROUP);
    TARGETS.forEach(target -> executions.put(target.name(), new LongAdder()));
    ThresholdFilter onlyErrors = new ThresholdFilter();
    onlyErrors.setLevel(Level.ERROR.levelStr);
    onlyErrors.start();
    errors.addFilter(onlyErrors);
    errors.start();
    ours.addAppender(errors);
    startedNanos = System.nanoTime();
  }

  @AfterAll
  static void stop() throws Exception {
    ours.detachAppender(errors);
    long total = executions.values().stream().mapToLong(LongAdder::sum).sum();
    log.info("hostile input {}: {} executions in {} s, {} findings; per target {}",
        System.getenv("JAZZER_FUZZ") == null ? "regression" : "fuzzing", total,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos), findings.get(), executions);
    if (sessionChannel != null) {
      sessionChannel.shutdownNow();
      historyChannel.shutdownNow();
    }
    if (history != null) {
      history.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  // Ids the fixtures make real, so that mutated requests reach past the membership checks.
  @DictionaryEntries({USER, "peer", "pal", DIRECT, GROUP, "g:", "dm:"})
  @FuzzTest(maxDuration = "30s")
  void hostileInput(FuzzedDataProvider data) {
    // The servers reach etcd, NATS and the CQL store: connections are what they do, not a forged request.
    BugDetectors.allowNetworkConnections();
    Target target = TARGETS.get(data.consumeInt(0, TARGETS.size() - 1));
    byte[] request = data.consumeRemainingAsBytes();
    executions.get(target.name()).increment();
    try {
      target.run().accept(request);
      await().atMost(Duration.ofSeconds(10)).pollInSameThread().pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1)).until(() -> session.openStreams() == 0);
      assertAnswersValidRequest(target);
      assertNoErrorLogged(target);
    } catch (RuntimeException | Error e) {
      findings.incrementAndGet();
      throw e;
    }
  }

  @Test
  void should_fuzz_every_method_of_the_session_server_and_history() {
    Set<String> served = Stream.of(SessionGrpc.getServiceDescriptor(), GroupsGrpc.getServiceDescriptor(),
            DiscoveryGrpc.getServiceDescriptor(), HistoryGrpc.getServiceDescriptor())
        .map(ServiceDescriptor::getMethods).flatMap(Collection::stream)
        .map(MethodDescriptor::getFullMethodName).collect(Collectors.toSet());
    assertThat(TARGETS.stream().map(t -> t.method().getFullMethodName()).collect(Collectors.toSet()))
        .isEqualTo(served);
  }

  /**
   * Larger than the fuzzer's inputs: a group command within the request limit (1 MiB) but, with what the
   * session server adds, over the bus's payload limit (1 MiB too) is refused at once, not retried until the
   * client is told to retry.
   */
  @Test
  void should_refuse_a_group_command_too_large_for_the_bus_at_once() {
    CreateGroupRequest huge = CreateGroupRequest.newBuilder().setClientRequestId("huge")
        .setTitle("t".repeat(GrpcServers.MAX_INBOUND_MESSAGE_BYTES - 16)).addMemberUserIds("peer").build();
    assertThat(huge.getSerializedSize()).isLessThanOrEqualTo(GrpcServers.MAX_INBOUND_MESSAGE_BYTES);
    long start = System.nanoTime();
    try (RawCall call = RawCall.start(sessionChannel, GroupsGrpc.getCreateGroupMethod(),
        RawSession.bearer(cluster.token(USER, "web")), CALL_DEADLINE)) {
      call.send(huge.toByteArray()).halfClose();
      assertPrecise(awaitEnd(call), "CreateGroup");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  /** The input as a Connect stream's first frame, then a heartbeat, then the end of the stream. */
  private static void firstFrame(byte[] frame) {
    try (RawCall stream = RawCall.start(sessionChannel, SessionGrpc.getConnectMethod(),
        RawSession.bearer(cluster.token(freshUser(), "phone")), CALL_DEADLINE)) {
      stream.send(frame).send(heartbeat(1));
      stream.awaitResponse(f -> f.hasHeartbeatAck() && f.getHeartbeatAck().getClientTimeMs() == 1);
      endAndCheck(stream, "first frame");
    }
  }

  /** The input as a frame after a Hello: its answer (a send's) and a later heartbeat's are awaited. */
  private static void afterHello(byte[] frame) {
    try (RawCall stream = RawCall.start(sessionChannel, SessionGrpc.getConnectMethod(),
        RawSession.bearer(cluster.token(freshUser(), "phone")), CALL_DEADLINE)) {
      stream.send(ClientFrame.newBuilder().setHello(Hello.newBuilder().setResume(Cursor.getDefaultInstance()))
          .build().toByteArray());
      stream.send(frame).send(heartbeat(2));
      stream.awaitResponse(f -> f.hasHeartbeatAck() && f.getHeartbeatAck().getClientTimeMs() == 2);
      ClientFrame parsed = parseOrNull(frame);
      if (parsed != null && parsed.hasSend()) {
        String id = parsed.getSend().getClientMessageId();
        stream.awaitResponse(f -> (f.hasSendAck() && f.getSendAck().getClientMessageId().equals(id))
            || (f.hasError() && f.getError().getClientMessageId().equals(id)));
      }
      endAndCheck(stream, "frame after Hello");
    }
  }

  /** The input as the request of a call with one request; a server stream is left after its first frame. */
  private static Target request(MethodDescriptor<?, ?> method) {
    boolean historyCall = method.getServiceName().equals(HistoryGrpc.SERVICE_NAME);
    boolean subscription = method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING;
    return new Target(method.getFullMethodName(), method, request -> {
      String user = subscription ? freshUser() : USER;
      try (RawCall call = RawCall.start(historyCall ? historyChannel : sessionChannel, method,
          RawSession.bearer(cluster.token(user, "web")), CALL_DEADLINE)) {
        call.send(request).halfClose();
        if (subscription) {
          call.awaitFirstResponse();
          if (!call.ended.isDone()) {
            return;
          }
        }
        assertPrecise(awaitEnd(call), method.getFullMethodName());
      }
    });
  }

  private static void endAndCheck(RawCall stream, String what) {
    stream.halfClose();
    assertPrecise(awaitEnd(stream), "Connect, " + what);
    for (ServerFrame frame : stream.frames()) {
      if (frame.hasError()) {
        StreamError error = frame.getError();
        assertThat(Status.Code.valueOf(error.getCode())).as("StreamError %s", error).isNotIn(IMPRECISE);
        assertThat(error.getReason()).as("StreamError %s", error).isNotEmpty();
        assertThat(error.getMessage()).as("StreamError %s", error).isNotEmpty();
      }
    }
  }

  private static RawCall.Ended awaitEnd(RawCall call) {
    try {
      return call.awaitEnd();
    } catch (Exception e) {
      throw new AssertionError("the call did not end", e);
    }
  }

  /** OK, or a code a client can act on, with a reason and a message. */
  private static void assertPrecise(RawCall.Ended end, String what) {
    Status status = end.status();
    if (status.isOk()) {
      return;
    }
    assertThat(status.getCode()).as("%s ended with %s", what, status).isNotIn(IMPRECISE);
    assertThat(status.getDescription()).as("%s ended with %s", what, status).isNotBlank();
    assertThat(ApiErrors.reasonOf(status.asRuntimeException(end.trailers())))
        .as("%s ended with %s without a reason", what, status).isNotEmpty();
  }

  /** The server that took the input still answers: a heartbeat, or a page of USER's 1:1 conversation. */
  private static void assertAnswersValidRequest(Target target) {
    if (target.toHistory()) {
      HistoryGrpc.newBlockingStub(historyChannel).withInterceptors(bearer(USER))
          .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .getMessages(GetMessagesRequest.newBuilder().setConversationId(DIRECT).setPageSize(1).build());
    } else {
      SessionGrpc.newBlockingStub(sessionChannel).withInterceptors(bearer(USER))
          .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .heartbeat(HeartbeatRequest.newBuilder().setClientTimeMs(3).build());
    }
  }

  private static void assertNoErrorLogged(Target target) {
    List<String> logged;
    synchronized (errors) {
      logged = errors.list.stream().map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
      errors.list.clear();
    }
    assertThat(logged).as("ERRORs logged after an input to %s", target.name()).isEmpty();
  }

  private static String freshUser() {
    return "f" + freshUsers.incrementAndGet();
  }

  private static io.grpc.ClientInterceptor bearer(String user) {
    return MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(cluster.token(user, "web")));
  }

  private static byte[] heartbeat(long marker) {
    return ClientFrame.newBuilder().setHeartbeat(HeartbeatRequest.newBuilder().setClientTimeMs(marker)).build()
        .toByteArray();
  }

  private static ClientFrame parseOrNull(byte[] frame) {
    try {
      return ClientFrame.parseFrom(frame);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}
