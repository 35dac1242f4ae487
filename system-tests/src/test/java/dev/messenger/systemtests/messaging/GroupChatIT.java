package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.AddMembersRequest;
import dev.messenger.api.v1.CreateGroupRequest;
import dev.messenger.api.v1.DeliveryAck;
import dev.messenger.api.v1.GetReceiptSummaryRequest;
import dev.messenger.api.v1.ReadMarker;
import dev.messenger.api.v1.ReceiptSummary;
import dev.messenger.api.v1.GetGroupRequest;
import dev.messenger.api.v1.GetMessagesRequest;
import dev.messenger.api.v1.Group;
import dev.messenger.api.v1.GroupChangeKind;
import dev.messenger.api.v1.GroupsGrpc;
import dev.messenger.api.v1.HistoryGrpc;
import dev.messenger.api.v1.LeaveGroupRequest;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessageKind;
import dev.messenger.api.v1.RemoveMembersRequest;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.history.HistoryServer;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Groups on real etcd, NATS and CQL: two session servers, two routers, the History service. Membership changes
 * are entries of the group's own sequence; every device of every member sees one order, a removed member
 * nothing after its removal, a new member everything from the entry that added it.
 */
@WithRealInfrastructure
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GroupChatIT {
  private static TestCluster cluster;
  private static SessionNode sessionA;
  private static SessionNode sessionB;
  private static ServiceServer historyServer;
  private static final String HISTORY = "group-chat-history-" + UUID.randomUUID();
  private static final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  private static final Map<String, ManagedChannel> byAddress = new ConcurrentHashMap<>();

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) throws Exception {
    cluster = TestCluster.start(endpoints);
    sessionA = cluster.startSession("session-a", UnaryOperator.identity());
    sessionB = cluster.startSession("session-b", UnaryOperator.identity());
    cluster.startRouter("router-1");
    cluster.startRouter("router-2");
    historyServer = HistoryServer.start(InProcessServerBuilder.forName(HISTORY), cluster.history, cluster.tokens,
        new PrometheusRegistry());
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ownedShards() == 64);
  }

  @AfterAll
  static void stop() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    if (historyServer != null) {
      historyServer.shutdown(Duration.ofSeconds(1));
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static <S extends AbstractStub<S>> S as(S stub, String user) {
    return stub.withDeadlineAfter(30, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(cluster.token(user, "api"))));
  }

  private static ManagedChannel channel(SessionNode server) {
    return byAddress.computeIfAbsent(server.address(), address -> {
      ManagedChannel channel = RawSession.channel(address, 1 << 20);
      channels.add(channel);
      return channel;
    });
  }

  private static GroupsGrpc.GroupsBlockingStub groups(SessionNode server, String user) {
    return as(GroupsGrpc.newBlockingStub(channel(server)), user);
  }

  private static SessionGrpc.SessionBlockingStub session(SessionNode server, String user) {
    return as(SessionGrpc.newBlockingStub(channel(server)), user);
  }

  private static HistoryGrpc.HistoryBlockingStub history(String user) {
    ManagedChannel channel = InProcessChannelBuilder.forName(HISTORY).build();
    channels.add(channel);
    return as(HistoryGrpc.newBlockingStub(channel), user);
  }

  private static SendAck post(SessionNode server, String user, String groupId, String body) {
    return session(server, user).send(SendRequest.newBuilder().setClientMessageId(UUID.randomUUID().toString())
        .setConversationId(groupId).setBody(body).build());
  }

  private static Group create(String owner, String title, List<String> others) {
    return groups(sessionA, owner).createGroup(CreateGroupRequest.newBuilder()
        .setClientRequestId(UUID.randomUUID().toString()).setTitle(title).addAllMemberUserIds(others).build());
  }

  private static void assertRefused(Runnable call, Status.Code code, String reason) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(ApiErrors.reasonOf(e)).isEqualTo(reason);
    });
  }

  /** The group's log from seq {@code from} to {@code to}: what a member in that window must see, in order. */
  private static List<Message> log(String groupId, long from, long to) {
    return cluster.log.readLog(groupId, from - 1, (int) (to - from + 1)).toCompletableFuture().join();
  }

  @Test
  void should_reach_every_live_device_of_500_members_on_two_servers_once_and_refuse_the_501st() throws Exception {
    List<String> users = IntStream.range(0, 500).mapToObj(i -> "big" + i).toList();
    try (LiveDevices live = new LiveDevices(cluster)) {
      for (int i = 0; i < users.size(); i++) {
        live.connect(users.get(i), "phone", (i % 2 == 0 ? sessionA : sessionB).address());
        if (i < 20) {
          live.connect(users.get(i), "laptop", (i % 2 == 0 ? sessionB : sessionA).address());
        }
      }
      await().atMost(Duration.ofSeconds(90)).until(() -> live.devices.stream().allMatch(d -> d.caughtUp));

      Group group = create("big0", "everyone", users.subList(1, 500));
      assertThat(group.getMembersCount()).isEqualTo(500);
      assertThat(group.getVersion()).isEqualTo(1);
      SendAck ack = post(sessionB, "big7", group.getConversationId(), "hello, all 500 of you");
      assertThat(ack.getSeq()).isEqualTo(2);

      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(live.devices)
          .allSatisfy(d -> assertThat(d.in(group.getConversationId())).hasSize(2)));
      List<Message> expected = log(group.getConversationId(), 1, 2);
      assertThat(expected.get(0).getKind()).isEqualTo(MessageKind.MESSAGE_KIND_SYSTEM);
      assertThat(expected.get(0).getGroupChange().getKind()).isEqualTo(GroupChangeKind.GROUP_CHANGE_KIND_CREATED);
      assertThat(expected.get(1).getMessageId()).isEqualTo(ack.getMessageId());
      assertThat(live.devices).hasSize(520).allSatisfy(d -> {
        assertThat(d.error).isNull();
        assertThat(d.in(group.getConversationId())).containsExactlyElementsOf(expected);
      });

      assertRefused(() -> groups(sessionB, "big0").addMembers(AddMembersRequest.newBuilder()
              .setConversationId(group.getConversationId()).addUserIds("big500").build()),
          Status.Code.FAILED_PRECONDITION, "GROUP_FULL");
      assertRefused(() -> create("big0", "too many", IntStream.range(1, 501).mapToObj(i -> "big" + i).toList()),
          Status.Code.INVALID_ARGUMENT, "GROUP_TOO_LARGE");
      // GetGroup reads the projection, which follows the commit by a moment.
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
        Group unchanged = groups(sessionA, "big3").getGroup(
            GetGroupRequest.newBuilder().setConversationId(group.getConversationId()).build());
        assertThat(unchanged.getMembersCount()).isEqualTo(500);
        assertThat(unchanged.getVersion()).isEqualTo(1);
      });
      assertThat(log(group.getConversationId(), 1, 10)).hasSize(2);
    }
  }

  @Test
  void should_refuse_non_members_without_telling_whether_the_group_exists() {
    Group group = create("nm-owner", "private", List.of("nm-member"));
    post(sessionA, "nm-member", group.getConversationId(), "members only");
    String missing = "g:doesnotexist0123";

    for (String id : List.of(group.getConversationId(), missing)) {
      assertRefused(() -> post(sessionB, "nm-outsider", id, "let me in"), Status.Code.PERMISSION_DENIED,
          "NOT_A_MEMBER");
      assertRefused(() -> history("nm-outsider").getMessages(GetMessagesRequest.newBuilder().setConversationId(id)
          .build()), Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");
      assertRefused(() -> groups(sessionA, "nm-outsider").getGroup(GetGroupRequest.newBuilder().setConversationId(id)
          .build()), Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");
      assertRefused(() -> groups(sessionA, "nm-outsider").addMembers(AddMembersRequest.newBuilder()
          .setConversationId(id).addUserIds("nm-outsider").build()), Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");
    }
    assertRefused(() -> groups(sessionA, "nm-member").addMembers(AddMembersRequest.newBuilder()
        .setConversationId(group.getConversationId()).addUserIds("nm-friend").build()),
        Status.Code.PERMISSION_DENIED, "NOT_ALLOWED");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(history("nm-member")
        .getMessages(GetMessagesRequest.newBuilder().setConversationId(group.getConversationId()).build())
        .getMessagesList()).extracting(Message::getBody).endsWith("members only"));
  }

  @Test
  void should_count_who_received_and_read_a_group_message_from_one_watermark_per_member() {
    Group group = create("rc-alice", "receipts", List.of("rc-bob", "rc-carol", "rc-dave"));
    String id = group.getConversationId();
    long seq = post(sessionA, "rc-alice", id, "did you read this?").getSeq();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(history("rc-bob").getMessages(
        GetMessagesRequest.newBuilder().setConversationId(id).build()).getMessagesCount()).isEqualTo(2));

    // Acks and markers are accepted up to what the member's history holds (these devices hold no stream).
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> session(sessionB, "rc-carol")
        .ackDelivery(DeliveryAck.newBuilder().setConversationId(id).setUpToSeq(seq).build()));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> session(sessionA, "rc-bob")
        .markRead(ReadMarker.newBuilder().setConversationId(id).setUpToSeq(seq).build()));

    ReceiptSummary summary = history("rc-alice").getReceiptSummary(
        GetReceiptSummaryRequest.newBuilder().setConversationId(id).setSeq(seq).build());
    assertThat(summary.getMembers()).isEqualTo(3);
    assertThat(summary.getDelivered()).isEqualTo(2);
    assertThat(summary.getRead()).isEqualTo(1);
    assertRefused(() -> history("rc-outsider").getReceiptSummary(
        GetReceiptSummaryRequest.newBuilder().setConversationId(id).build()), Status.Code.PERMISSION_DENIED,
        "NOT_A_MEMBER");
  }

  /** A 1:1 sender who was away when the peer's ticks changed reads them back the same way. */
  @Test
  void should_give_a_direct_senders_ticks_from_the_peers_watermark() {
    long seq = session(sessionA, "rd-alice").send(SendRequest.newBuilder().setClientMessageId(UUID.randomUUID()
        .toString()).setToUserId("rd-bob").setBody("did you get this?").build()).getSeq();
    String id = dev.messenger.common.ConversationIds.direct("rd-alice", "rd-bob");
    GetReceiptSummaryRequest ask = GetReceiptSummaryRequest.newBuilder().setConversationId(id).setSeq(seq).build();
    assertThat(history("rd-alice").getReceiptSummary(ask))
        .extracting(ReceiptSummary::getMembers, ReceiptSummary::getDelivered, ReceiptSummary::getRead)
        .containsExactly(1, 0, 0);

    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> session(sessionB, "rd-bob")
        .ackDelivery(DeliveryAck.newBuilder().setConversationId(id).setUpToSeq(seq).build()));
    assertThat(history("rd-alice").getReceiptSummary(ask))
        .extracting(ReceiptSummary::getDelivered, ReceiptSummary::getRead).containsExactly(1, 0);

    session(sessionA, "rd-bob").markRead(ReadMarker.newBuilder().setConversationId(id).setUpToSeq(seq).build());
    assertThat(history("rd-alice").getReceiptSummary(ask))
        .extracting(ReceiptSummary::getDelivered, ReceiptSummary::getRead).containsExactly(1, 1);
  }

  @Test
  void should_catch_up_a_member_that_was_offline_for_100_messages() throws Exception {
    Group group = create("cu-alice", "catch-up", List.of("cu-bob", "cu-carol"));
    String id = group.getConversationId();
    InMemoryCursorStore carolCursor = new InMemoryCursorStore();
    DeviceRecorder before = new DeviceRecorder("carol-before");
    MessengerClient carol = cluster.track(cluster.clientBuilder("cu-carol", "phone", sessionA, before)
        .cursorStore(carolCursor).useDiscovery(false).build().start());
    MessengerClient alice = cluster.track(cluster.clientBuilder("cu-alice", "phone", sessionB,
        new DeviceRecorder("alice")).useDiscovery(false).build().start());
    await().atMost(Duration.ofSeconds(30)).until(() -> before.in(id).size() == 1);
    carol.close();

    List<CompletableFuture<SendAck>> missed = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      missed.add(alice.send(id, "while carol was away " + i));
    }
    CompletableFuture.allOf(missed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    DeviceRecorder after = new DeviceRecorder("carol-after");
    MessengerClient back = cluster.track(cluster.clientBuilder("cu-carol", "phone", sessionB, after)
        .cursorStore(carolCursor).useDiscovery(false).build().start());
    assertThat(back.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
    alice.send(id, "live again").get(20, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(30)).until(() -> after.in(id).size() == 101);
    assertThat(after.in(id)).containsExactlyElementsOf(log(id, 2, 102));
    assertThat(after.in(id).get(100).getBody()).isEqualTo("live again");
  }

  @Test
  void should_give_one_order_to_every_device_while_members_are_added_removed_and_leave() throws Exception {
    List<String> members = IntStream.rangeClosed(1, 8).mapToObj(i -> "ch-m" + i).toList();
    try (LiveDevices live = new LiveDevices(cluster)) {
      Map<String, List<LiveDevices.Device>> devices = new ConcurrentHashMap<>();
      List<String> everyone = new ArrayList<>(members);
      everyone.addAll(List.of("ch-owner", "ch-j1", "ch-j2"));
      for (int i = 0; i < everyone.size(); i++) {
        String user = everyone.get(i);
        devices.computeIfAbsent(user, u -> new ArrayList<>())
            .add(live.connect(user, "phone", (i % 2 == 0 ? sessionA : sessionB).address()));
        devices.get(user).add(live.connect(user, "laptop", (i % 2 == 0 ? sessionB : sessionA).address()));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> live.devices.stream().allMatch(d -> d.caughtUp));
      String id = create("ch-owner", "churn", members).getConversationId();

      Map<String, List<SendAck>> acks = new ConcurrentHashMap<>();
      Map<String, List<String>> refusals = new ConcurrentHashMap<>();
      CountDownLatch postingStarted = new CountDownLatch(3);
      List<CompletableFuture<Void>> posters = new ArrayList<>();
      for (String poster : List.of("ch-m1", "ch-m2", "ch-m3")) {
        posters.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 40; i++) {
            try {
              SendAck ack = post(i % 2 == 0 ? sessionA : sessionB, poster, id, poster + " says " + i);
              acks.computeIfAbsent(poster, p -> new CopyOnWriteArrayList<>()).add(ack);
            } catch (StatusRuntimeException e) {
              refusals.computeIfAbsent(poster, p -> new CopyOnWriteArrayList<>()).add(ApiErrors.reasonOf(e));
            }
            if (i == 5) {
              postingStarted.countDown();
            }
          }
        }));
      }
      assertThat(postingStarted.await(30, TimeUnit.SECONDS)).isTrue();
      long j1Added = groups(sessionA, "ch-owner").addMembers(AddMembersRequest.newBuilder()
          .setConversationId(id).addUserIds("ch-j1").build()).getVersion();
      long m1Removed = groups(sessionB, "ch-owner").removeMembers(RemoveMembersRequest.newBuilder()
          .setConversationId(id).addUserIds("ch-m1").build()).getVersion();
      long m2Left = groups(sessionA, "ch-m2").leaveGroup(LeaveGroupRequest.newBuilder().setConversationId(id)
          .build()).getSeq();
      long j2Added = groups(sessionB, "ch-owner").addMembers(AddMembersRequest.newBuilder()
          .setConversationId(id).addUserIds("ch-j2").build()).getVersion();
      CompletableFuture.allOf(posters.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      long head = post(sessionA, "ch-owner", id, "the end").getSeq();

      assertThat(acks.get("ch-m1")).allSatisfy(a -> assertThat(a.getSeq()).isLessThan(m1Removed));
      assertThat(acks.get("ch-m2")).allSatisfy(a -> assertThat(a.getSeq()).isLessThan(m2Left));
      assertThat(refusals.getOrDefault("ch-m1", List.of())).allSatisfy(r -> assertThat(r).isEqualTo("NOT_A_MEMBER"));
      assertThat(refusals.getOrDefault("ch-m2", List.of())).allSatisfy(r -> assertThat(r).isEqualTo("NOT_A_MEMBER"));
      assertThat(acks.get("ch-m3")).hasSize(40);
      assertThat(log(id, 1, head)).extracting(Message::getSeq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());

      Map<String, long[]> windows = new java.util.HashMap<>();
      for (String user : List.of("ch-owner", "ch-m3", "ch-m4", "ch-m5", "ch-m6", "ch-m7", "ch-m8")) {
        windows.put(user, new long[] {1, head});
      }
      windows.put("ch-m1", new long[] {1, m1Removed});
      windows.put("ch-m2", new long[] {1, m2Left});
      windows.put("ch-j1", new long[] {j1Added, head});
      windows.put("ch-j2", new long[] {j2Added, head});
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> windows.forEach((user, window) ->
          assertThat(devices.get(user)).allSatisfy(d -> assertThat(d.in(id)).as(user)
              .hasSize((int) (window[1] - window[0] + 1)))));
      windows.forEach((user, window) -> {
        List<Message> expected = log(id, window[0], window[1]);
        assertThat(devices.get(user)).allSatisfy(d -> {
          assertThat(d.error).as(user).isNull();
          assertThat(d.in(id)).as(user).containsExactlyElementsOf(expected);
        });
      });
      // Nothing arrives after a removal: one more message, and the removed devices still end where they did.
      long last = post(sessionB, "ch-m3", id, "after everything").getSeq();
      await().atMost(Duration.ofSeconds(30)).until(() -> devices.get("ch-j2").stream()
          .allMatch(d -> d.in(id).get(d.in(id).size() - 1).getSeq() == last));
      assertThat(devices.get("ch-m1")).allSatisfy(d -> assertThat(d.in(id)).hasSize((int) m1Removed));
      assertThat(devices.get("ch-m2")).allSatisfy(d -> assertThat(d.in(id)).hasSize((int) m2Left));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(history("ch-m1").getMessages(
              GetMessagesRequest.newBuilder().setConversationId(id).setPageSize(200).build()).getMessagesList())
          .as("a removed member keeps what it had, and nothing more")
          .containsExactlyElementsOf(log(id, 1, m1Removed)));
    }
  }
}
