package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Delivery;
import dev.messenger.api.v1.GroupChange;
import dev.messenger.api.v1.GroupChangeKind;
import dev.messenger.api.v1.GroupMember;
import dev.messenger.api.v1.GroupRole;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessageKind;
import dev.messenger.api.v1.DeliveryAck;
import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.api.v1.Receipt;
import dev.messenger.api.v1.ReceiptKind;
import dev.messenger.api.v1.ServerFrame;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ReceiveTest {
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

  private static List<Long> c1Acks(FakeStream stream) {
    return stream.acks().stream()
        .filter(ack -> ack.getConversationId().equals("c1"))
        .map(DeliveryAck::getUpToSeq)
        .toList();
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void should_open_with_hello_carrying_the_stored_cursor_and_the_bearer_token() {
    Cursor stored = Cursor.newBuilder().putSeqs("dm:alice:bob", 7).putSeqs("g:1", 3).build();
    harness.start(harness.builder()
        .cursorStore(new InMemoryCursorStore(stored))
        .clientVersion("test/1"));

    FakeStream stream = awaitStream(0);

    assertThat(stream.frames().get(0).hasHello()).isTrue();
    assertThat(stream.hello().getResume()).isEqualTo(stored);
    assertThat(stream.hello().getClientVersion()).isEqualTo("test/1");
    assertThat(stream.authorization()).isEqualTo("Bearer token-1");
  }

  @Test
  void should_deliver_in_order_advance_the_cursor_and_ack_in_batches() throws Exception {
    InMemoryCursorStore store = new InMemoryCursorStore();
    MessengerClient client = harness.start(harness.builder()
        .cursorStore(store)
        .ackBatching(Duration.ofMinutes(1), 64));
    FakeStream stream = awaitStream(0);

    stream.welcome().deliverRange("c1", 1, 200).deliverRange("c2", 1, 3).caughtUp();

    assertThat(client.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
    assertThat(harness.listener.seqs("c1")).isEqualTo(seqs(1, 200));
    assertThat(harness.listener.seqs("c2")).isEqualTo(seqs(1, 3));
    Cursor expected = Cursor.newBuilder().putSeqs("c1", 200).putSeqs("c2", 3).build();
    assertThat(client.cursor()).isEqualTo(expected);
    assertThat(store.load()).isEqualTo(expected);
    // One ack per 64 messages, and one at CaughtUp; an ack that could not be written at once (the stream
    // was not ready) is merged into the next one of the same conversation.
    await().untilAsserted(() -> assertThat(c1Acks(stream)).last().isEqualTo(200L));
    assertThat(c1Acks(stream)).isSorted().doesNotHaveDuplicates().hasSizeBetween(2, 4).startsWith(64L);
    await().untilAsserted(() -> assertThat(stream.acks())
        .filteredOn(ack -> ack.getConversationId().equals("c2"))
        .extracting(DeliveryAck::getUpToSeq)
        .containsExactly(3L));
    assertThat(client.state()).isEqualTo(ConnectionState.CAUGHT_UP);
    assertThat(harness.listener.states).containsSubsequence(
        ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionState.CAUGHT_UP);
  }

  @Test
  void should_ack_live_messages_after_the_batching_delay() {
    MessengerClient client = harness.start(harness.builder().ackBatching(Duration.ofMillis(50), 64));
    FakeStream stream = awaitStream(0);
    stream.welcome().caughtUp();
    await().until(() -> client.state() == ConnectionState.CAUGHT_UP);

    stream.deliverRange("c1", 1, 10);

    await().untilAsserted(() -> assertThat(stream.acks()).isNotEmpty()
        .last().extracting(DeliveryAck::getUpToSeq).isEqualTo(10L));
    assertThat(stream.acks()).hasSizeLessThan(10);
  }

  @Test
  void should_drop_duplicates() {
    MessengerClient client = harness.start(harness.builder()
        .cursorStore(new InMemoryCursorStore(Cursor.newBuilder().putSeqs("c1", 5).build())));
    FakeStream stream = awaitStream(0);

    stream.welcome().deliver("c1", 4).deliver("c1", 5).deliver("c1", 6).deliver("c1", 6).deliver("c1", 7)
        .caughtUp();

    await().until(() -> client.state() == ConnectionState.CAUGHT_UP);
    assertThat(harness.listener.seqs("c1")).containsExactly(6L, 7L);
    assertThat(client.stats().duplicatesDropped()).isEqualTo(3);
    assertThat(client.cursor().getSeqsMap()).containsEntry("c1", 7L);
    assertThat(harness.server.streams()).hasSize(1);
  }

  @Test
  void should_report_a_gap_and_reconnect_from_the_last_good_seq() {
    MessengerClient client = harness.start();
    FakeStream first = awaitStream(0);

    first.welcome().deliver("c1", 1).deliver("c1", 2).deliver("c1", 4);

    FakeStream second = awaitStream(1);
    assertThat(harness.listener.errorReasons()).contains(ClientReasons.GAP_DETECTED);
    assertThat(second.hello().getResume().getSeqsMap()).containsEntry("c1", 2L);
    await().until(first::clientEnded);
    assertThat(client.stats().gapsDetected()).isEqualTo(1);

    second.welcome().deliver("c1", 3).deliver("c1", 4).caughtUp();

    await().until(() -> client.state() == ConnectionState.CAUGHT_UP);
    assertThat(harness.listener.seqs("c1")).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void should_take_the_entry_that_adds_the_user_to_a_group_as_the_start_of_the_group_not_as_a_gap() {
    MessengerClient client = harness.start();
    FakeStream stream = awaitStream(0);
    ServerFrame addedAlice = ServerFrame.newBuilder().setDelivery(Delivery.newBuilder().setMessage(Message.newBuilder()
        .setConversationId("g:1").setSeq(40).setKind(MessageKind.MESSAGE_KIND_SYSTEM)
        .setGroupChange(GroupChange.newBuilder().setKind(GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_ADDED)
            .addMembers(GroupMember.newBuilder().setUserId("alice").setRole(GroupRole.GROUP_ROLE_MEMBER))))).build();
    ServerFrame addedBob = addedAlice.toBuilder().setDelivery(Delivery.newBuilder().setMessage(
        addedAlice.getDelivery().getMessage().toBuilder().setSeq(50).setGroupChange(GroupChange.newBuilder()
            .setKind(GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_ADDED)
            .addMembers(GroupMember.newBuilder().setUserId("bob"))))).build();

    stream.welcome();
    stream.send(addedAlice);
    stream.deliver("g:1", 41).caughtUp();

    await().until(() -> client.state() == ConnectionState.CAUGHT_UP);
    assertThat(harness.listener.seqs("g:1")).containsExactly(40L, 41L);
    assertThat(client.stats().gapsDetected()).isZero();

    stream.send(addedBob);
    await().until(() -> client.stats().gapsDetected() == 1);
    assertThat(harness.listener.seqs("g:1")).containsExactly(40L, 41L);
  }

  @Test
  void should_keep_the_sync_time_of_a_catch_up_and_resume_with_it() {
    InMemoryCursorStore store = new InMemoryCursorStore();
    MessengerClient client = harness.start(harness.builder().cursorStore(store));
    FakeStream first = awaitStream(0);
    assertThat(first.hello().getResume().getSyncedAtMs()).isZero();

    first.welcome().deliver("c1", 1).caughtUp(1_700_000_000_000L);
    await().until(() -> client.state() == ConnectionState.CAUGHT_UP);
    await().until(() -> store.load().getSyncedAtMs() == 1_700_000_000_000L);
    assertThat(store.load().getSeqsMap()).containsEntry("c1", 1L);

    first.fail(io.grpc.Status.Code.UNAVAILABLE, "SERVER_DRAINING");
    FakeStream second = awaitStream(1);
    assertThat(second.hello().getResume().getSyncedAtMs()).isEqualTo(1_700_000_000_000L);
    assertThat(second.hello().getResume().getSeqsMap()).containsEntry("c1", 1L);
  }

  @Test
  void should_pass_receipts_and_presence_to_the_listener() {
    harness.start();
    FakeStream stream = awaitStream(0);
    stream.welcome();

    stream.send(ServerFrame.newBuilder()
        .setReceipt(Receipt.newBuilder().setConversationId("c1").setUserId("bob")
            .setKind(ReceiptKind.RECEIPT_KIND_READ).setUpToSeq(3))
        .build());
    stream.send(ServerFrame.newBuilder()
        .setPresence(PresenceUpdate.newBuilder().setUserId("bob")
            .setState(PresenceState.PRESENCE_STATE_ONLINE))
        .build());

    await().until(() -> harness.listener.receipts.size() == 1 && harness.listener.presence.size() == 1);
    assertThat(harness.listener.receipts.get(0).getUpToSeq()).isEqualTo(3);
  }
}
