package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.ReceiptKind;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.SessionGrpc;
import io.grpc.stub.MetadataUtils;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Promises 1, 2 and 3 for 1:1 conversations: two session servers, two routers, real etcd, NATS and CQL. */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OneToOneMessagingIT {
  private static TestCluster cluster;
  private static SessionNode sessionA;
  private static SessionNode sessionB;
  private static final List<io.grpc.ManagedChannel> channels = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) throws Exception {
    cluster = TestCluster.start(endpoints);
    sessionA = cluster.startSession("session-a", UnaryOperator.identity());
    sessionB = cluster.startSession("session-b", UnaryOperator.identity());
    cluster.startRouter("router-1");
    cluster.startRouter("router-2");
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ownedShards() == 64);
  }

  @AfterAll
  static void stop() throws Exception {
    channels.forEach(io.grpc.ManagedChannel::shutdownNow);
    if (cluster != null) {
      cluster.close();
    }
  }

  private MessengerClient connect(String user, String device, SessionNode server, DeviceRecorder recorder,
      InMemoryCursorStore cursor) {
    return cluster.track(cluster.clientBuilder(user, device, server, recorder)
        .cursorStore(cursor)
        .useDiscovery(false)
        .build()
        .start());
  }

  @Test
  void should_show_every_device_every_message_once_in_one_order_with_receipts() throws Exception {
    DeviceRecorder alice = new DeviceRecorder("alice-phone");
    DeviceRecorder bobPhone = new DeviceRecorder("bob-phone");
    DeviceRecorder bobLaptop = new DeviceRecorder("bob-laptop");
    MessengerClient alicePhone = connect("alice", "phone", sessionA, alice, new InMemoryCursorStore());
    MessengerClient bobOnPhone = connect("bob", "phone", sessionA, bobPhone, new InMemoryCursorStore());
    MessengerClient bobOnLaptop = connect("bob", "laptop", sessionB, bobLaptop, new InMemoryCursorStore());
    for (MessengerClient c : List.of(alicePhone, bobOnPhone, bobOnLaptop)) {
      assertThat(c.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    }

    List<CompletableFuture<SendAck>> acks = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      acks.add(alicePhone.sendTo("bob", "from alice " + i));
      acks.add((i % 2 == 0 ? bobOnPhone : bobOnLaptop).sendTo("alice", "from bob " + i));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    String conversation = acks.get(0).join().getConversationId();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (DeviceRecorder device : List.of(alice, bobPhone, bobLaptop)) {
        assertThat(device.in(conversation)).as(device.name).hasSize(120);
      }
    });
    List<Long> expectedSeqs = LongStream.rangeClosed(1, 120).boxed().toList();
    List<Message> reference = alice.in(conversation);
    assertThat(reference).extracting(Message::getSeq).containsExactlyElementsOf(expectedSeqs);
    assertThat(bobPhone.in(conversation)).containsExactlyElementsOf(reference);
    assertThat(bobLaptop.in(conversation)).containsExactlyElementsOf(reference);
    assertThat(acks).extracting(f -> f.join().getSeq()).doesNotHaveDuplicates();

    // Delivery acks of Bob's devices become DELIVERED receipts at Alice, up to her last message at least (an
    // ack that newly covers only Bob's own messages tells her nothing); a read marker becomes READ.
    long lastFromAlice = reference.stream().filter(m -> m.getSenderUserId().equals("alice"))
        .mapToLong(Message::getSeq).max().orElseThrow();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> alice.receiptUpTo("bob", ReceiptKind.RECEIPT_KIND_DELIVERED) >= lastFromAlice);
    bobOnLaptop.markRead(conversation, 120);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> alice.receiptUpTo("bob", ReceiptKind.RECEIPT_KIND_READ) == 120);
    // A marker below the stored one (another device behind) changes nothing: read receipts never go back.
    bobOnPhone.markRead(conversation, 60);
    long next = alicePhone.sendTo("bob", "after the markers").get(20, TimeUnit.SECONDS).getSeq();
    await().atMost(Duration.ofSeconds(20)).until(() -> bobPhone.in(conversation).size() == 121);
    bobOnPhone.markRead(conversation, next);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> alice.receiptUpTo("bob", ReceiptKind.RECEIPT_KIND_READ) == next);
    assertThat(alice.receipts.stream().filter(r -> r.getKind() == ReceiptKind.RECEIPT_KIND_READ)
        .map(dev.messenger.api.v1.Receipt::getUpToSeq).toList()).isSorted();
    // Alice's acks that newly cover only her own messages tell Bob nothing: up to his last message at least.
    long lastFromBob = reference.stream().filter(m -> m.getSenderUserId().equals("bob"))
        .mapToLong(Message::getSeq).max().orElseThrow();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> bobPhone.receiptUpTo("alice", ReceiptKind.RECEIPT_KIND_DELIVERED) >= lastFromBob);
    assertThat(alice.receipts.stream().filter(r -> r.getKind() == ReceiptKind.RECEIPT_KIND_DELIVERED).count())
        .as("receipts are batched, not one per message").isLessThan(120);
    // Bob's two devices acknowledge separately on two servers; Alice still sees his delivered ticks only rise.
    assertThat(alice.receipts.stream().filter(r -> r.getKind() == ReceiptKind.RECEIPT_KIND_DELIVERED)
        .map(dev.messenger.api.v1.Receipt::getUpToSeq).toList()).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void should_answer_a_resend_to_another_session_server_with_the_original_ack() {
    SendRequest request = SendRequest.newBuilder().setClientMessageId("resend-1").setToUserId("olivia")
        .setBody("sent twice, stored once").build();
    SendAck first = unary(sessionA, "nick").send(request);
    SendAck again = unary(sessionB, "nick").send(request);
    assertThat(first.getDuplicate()).isFalse();
    assertThat(again.getDuplicate()).isTrue();
    assertThat(again.toBuilder().setDuplicate(false).build()).isEqualTo(first);
    assertThat(cluster.log.readLog(first.getConversationId(), 0, 100).toCompletableFuture().join())
        .extracting(Message::getClientMessageId).containsExactly("resend-1");
  }

  private static SessionGrpc.SessionBlockingStub unary(SessionNode server, String user) {
    io.grpc.ManagedChannel channel = RawSession.channel(server.address(), 1 << 20);
    channels.add(channel);
    return SessionGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(RawSession.bearer(cluster.token(user, "web"))));
  }

  @Test
  void should_catch_up_a_device_that_was_offline_on_another_session_server() throws Exception {
    DeviceRecorder alice = new DeviceRecorder("alice-tablet");
    DeviceRecorder phoneBefore = new DeviceRecorder("carol-phone-1");
    InMemoryCursorStore phoneCursor = new InMemoryCursorStore();
    MessengerClient sender = connect("dave", "tablet", sessionB, alice, new InMemoryCursorStore());
    MessengerClient phone = connect("carol", "phone", sessionA, phoneBefore, phoneCursor);
    assertThat(phone.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    String conversation = sender.sendTo("carol", "hello before").get(20, TimeUnit.SECONDS).getConversationId();
    await().atMost(Duration.ofSeconds(20)).until(() -> phoneBefore.in(conversation).size() == 1);
    phone.close();

    List<CompletableFuture<SendAck>> missed = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      missed.add(sender.send(conversation, "while offline " + i));
    }
    CompletableFuture.allOf(missed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    DeviceRecorder phoneAfter = new DeviceRecorder("carol-phone-2");
    MessengerClient back = connect("carol", "phone", sessionB, phoneAfter, phoneCursor);
    assertThat(back.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
    sender.send(conversation, "live after catch-up").get(20, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(30)).until(() -> phoneAfter.in(conversation).size() == 501);
    assertThat(phoneAfter.in(conversation)).extracting(Message::getSeq)
        .containsExactlyElementsOf(LongStream.rangeClosed(2, 502).boxed().toList());
    assertThat(phoneAfter.in(conversation).get(500).getBody()).isEqualTo("live after catch-up");
  }
}
