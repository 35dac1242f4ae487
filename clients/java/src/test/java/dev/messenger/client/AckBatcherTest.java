package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.DeliveryAck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AckBatcherTest {
  private final AckBatcher batcher = new AckBatcher(3);

  private static DeliveryAck ack(String conversationId, long seq) {
    return DeliveryAck.newBuilder().setConversationId(conversationId).setUpToSeq(seq).build();
  }

  @Test
  void should_make_a_conversation_due_after_max_messages() {
    assertThat(batcher.committed("c1", 1)).isFalse();
    assertThat(batcher.committed("c1", 2)).isFalse();
    assertThat(batcher.pollDue()).isNull();
    assertThat(batcher.committed("c1", 3)).isTrue();
    assertThat(batcher.committed("c1", 4)).isFalse();

    assertThat(batcher.pollDue()).isEqualTo(ack("c1", 4));
    assertThat(batcher.pollDue()).isNull();
    assertThat(batcher.hasUndue()).isFalse();
  }

  @Test
  void should_flush_every_conversation_once_when_all_are_marked_due() {
    batcher.committed("c1", 1);
    batcher.committed("c2", 7);
    batcher.committed("c1", 2);
    assertThat(batcher.hasUndue()).isTrue();

    batcher.markAllDue();

    assertThat(batcher.pollDue()).isEqualTo(ack("c1", 2));
    assertThat(batcher.pollDue()).isEqualTo(ack("c2", 7));
    assertThat(batcher.pollDue()).isNull();
  }
}
