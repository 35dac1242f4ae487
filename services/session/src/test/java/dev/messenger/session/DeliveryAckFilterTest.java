package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Message;
import org.junit.jupiter.api.Test;

class DeliveryAckFilterTest {
  private static final String CHAT = "dm:alice:bob";

  @Test
  void should_skip_acks_that_newly_cover_only_the_users_own_messages() {
    DeliveryAckFilter filter = new DeliveryAckFilter("alice", Cursor.getDefaultInstance());

    filter.delivered(message(1, "alice"));
    assertThat(filter.worthRecording(CHAT, 1)).isFalse();

    filter.delivered(message(2, "bob"));
    filter.delivered(message(3, "alice"));
    assertThat(filter.worthRecording(CHAT, 3)).isTrue();

    filter.delivered(message(4, "alice"));
    assertThat(filter.worthRecording(CHAT, 4)).isFalse();
  }

  @Test
  void should_record_an_ack_that_lags_behind_a_message_of_another_user() {
    DeliveryAckFilter filter = new DeliveryAckFilter("alice", Cursor.getDefaultInstance());
    filter.delivered(message(1, "alice"));
    filter.delivered(message(2, "alice"));
    filter.delivered(message(3, "bob"));

    assertThat(filter.worthRecording(CHAT, 2)).isFalse();
    assertThat(filter.worthRecording(CHAT, 3)).isTrue();
    assertThat(filter.worthRecording(CHAT, 3)).isFalse();
  }

  @Test
  void should_record_the_first_ack_of_a_conversation_resumed_past_messages_delivered_elsewhere() {
    DeliveryAckFilter filter = new DeliveryAckFilter("alice", Cursor.newBuilder().putSeqs(CHAT, 5).build());
    filter.delivered(message(6, "alice"));

    // Up to 6 may also acknowledge 5, a message of bob's delivered on the previous stream.
    assertThat(filter.worthRecording(CHAT, 6)).isTrue();
    filter.delivered(message(7, "alice"));
    assertThat(filter.worthRecording(CHAT, 7)).isFalse();
  }

  private static Message message(long seq, String sender) {
    return Message.newBuilder().setConversationId(CHAT).setSeq(seq).setSenderUserId(sender).build();
  }
}
