package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.GroupChange;
import dev.messenger.api.v1.GroupChangeKind;
import dev.messenger.api.v1.GroupMember;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.history.store.ReceiptStore;
import dev.messenger.history.store.StoredGroup;
import io.grpc.stub.ServerCallStreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How many history reads a stream's catch-up makes while live messages and projections arrive meanwhile. */
class DeviceStreamCatchUpTest {
  private static final String CONVERSATION = "c1";

  private final ScriptedStore store = new ScriptedStore();
  private final RecordingObserver client = new RecordingObserver();
  private DeviceStream stream;

  @BeforeEach
  void connect() {
    stream = new DeviceStream("alice", "phone", client, Cursor.getDefaultInstance(), store, Runnable::run,
        StreamLimits.of(4), (closed, reason) -> { }, new SessionMetrics(new PrometheusRegistry(), () -> 0, () -> 0));
    stream.start(ServerFrame.getDefaultInstance());
  }

  @Test
  void should_not_read_history_again_when_a_held_live_message_reaches_the_projection() {
    stream.onLive(message(1));
    stream.onProjected(CONVERSATION, 1);
    store.answer(0, List.of());

    assertThat(store.reads).hasSize(1);
    assertThat(client.deliveredSeqs()).containsExactly(1L);
  }

  @Test
  void should_read_history_again_when_the_projection_is_past_every_held_message() {
    stream.onLive(message(1));
    stream.onProjected(CONVERSATION, 2);
    store.answer(0, List.of());

    assertThat(store.reads).as("the second live message was published before the stream subscribed").hasSize(2);
    store.answer(1, List.of(message(1), message(2)));

    assertThat(client.deliveredSeqs()).containsExactly(1L, 2L);
    assertThat(store.reads).hasSize(2);
  }

  @Test
  void should_read_history_again_when_the_held_messages_overflowed() {
    for (long seq = 1; seq <= 5; seq++) {
      stream.onLive(message(seq)); // four fit the limits; the fifth drops them all
    }
    stream.onProjected(CONVERSATION, 1);
    store.answer(0, List.of());
    store.answer(1, List.of(message(1), message(2)));

    assertThat(store.reads).hasSize(2);
    assertThat(client.deliveredSeqs()).containsExactly(1L, 2L);
  }

  @Test
  void should_fill_a_gap_below_a_held_message_from_history_after_catch_up() {
    stream.onLive(message(3));
    stream.onProjected(CONVERSATION, 2);
    store.answer(0, List.of(message(1)));

    assertThat(store.reads).as("delivering the held third message finds the second missing").hasSize(2);
    store.answer(1, List.of(message(2)));

    assertThat(client.deliveredSeqs()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void should_read_history_again_for_a_projection_of_another_conversation() {
    stream.onLive(message(1));
    stream.onProjected("c2", 1);
    store.answer(0, List.of());

    assertThat(store.reads).hasSize(2);
  }

  @Test
  void should_read_history_again_when_a_held_message_adds_the_user_back() {
    stream.onLive(message(3).toBuilder().setGroupChange(GroupChange.newBuilder()
        .setKind(GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_ADDED)
        .addMembers(GroupMember.newBuilder().setUserId("alice"))).build());
    stream.onProjected(CONVERSATION, 2);
    store.answer(0, List.of());

    assertThat(store.reads).as("the entry is delivered across a gap: what history holds before it comes first")
        .hasSize(2);
    store.answer(1, List.of(message(1), message(2)));

    assertThat(client.deliveredSeqs()).containsExactly(1L, 2L, 3L);
  }

  private static Message message(long seq) {
    return Message.newBuilder().setConversationId(CONVERSATION).setSeq(seq).setSenderUserId("bob")
        .setClientMessageId("m" + seq).setServerTimeMs(System.currentTimeMillis()).build();
  }

  /** Answers each catch-up read when the test says so, with one complete batch. */
  private static final class ScriptedStore implements SessionStore {
    final List<CompletableFuture<Batch>> reads = new ArrayList<>();

    void answer(int read, List<Message> messages) {
      reads.get(read).complete(new Batch(messages, Cursor.getDefaultInstance(), true));
    }

    @Override
    public CompletionStage<Batch> since(String userId, Cursor cursor, int max) {
      CompletableFuture<Batch> read = new CompletableFuture<>();
      reads.add(read);
      return read;
    }

    @Override
    public CompletionStage<Optional<Set<String>>> members(String conversationId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Optional<StoredGroup>> group(String conversationId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Long> projectedSeq(String conversationId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<ReceiptStore.ReadState> readState(String userId, String conversationId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> recordDelivered(String userId, String deviceId, String conversationId,
        long upToSeq) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> recordRead(String userId, String conversationId, long upToSeq) {
      throw new UnsupportedOperationException();
    }
  }

  /** A client that is always ready and keeps every frame. */
  private static final class RecordingObserver extends ServerCallStreamObserver<ServerFrame> {
    final List<ServerFrame> frames = new ArrayList<>();

    List<Long> deliveredSeqs() {
      return frames.stream().filter(ServerFrame::hasDelivery).map(f -> f.getDelivery().getMessage().getSeq()).toList();
    }

    @Override
    public void onNext(ServerFrame value) {
      frames.add(value);
    }

    @Override
    public void onError(Throwable t) {
      throw new AssertionError("the stream was closed", t);
    }

    @Override
    public void onCompleted() {
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {
    }

    @Override
    public void setCompression(String compression) {
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {
    }

    @Override
    public void request(int count) {
    }

    @Override
    public void setMessageCompression(boolean enable) {
    }

    @Override
    public void disableAutoInboundFlowControl() {
    }
  }
}
