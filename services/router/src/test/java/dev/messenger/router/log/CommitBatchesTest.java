package dev.messenger.router.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.api.v1.Message;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CommitBatchesTest {
  private static final String CONVERSATION = "dm:a:b";

  @Test
  void should_split_at_bucket_boundaries() {
    List<Message> messages = messages(1000, 1100, "x");

    List<List<Message>> batches = CommitBatches.split(CONVERSATION, messages, CommitBatches.MAX_BATCH_BYTES);

    assertThat(batches).hasSize(2);
    assertThat(batches.get(0)).extracting(Message::getSeq).containsExactlyElementsOf(range(1000, 1023));
    assertThat(batches.get(1)).extracting(Message::getSeq).containsExactlyElementsOf(range(1024, 1100));
  }

  @Test
  void should_split_when_a_batch_grows_too_large() {
    List<Message> messages = messages(1, 10, "y".repeat(1000));

    List<List<Message>> batches = CommitBatches.split(CONVERSATION, messages, 3500);

    assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(3));
    assertThat(batches.stream().flatMap(List::stream).map(Message::getSeq).toList())
        .containsExactlyElementsOf(range(1, 10));
  }

  @Test
  void should_give_an_oversized_message_a_batch_of_its_own() {
    List<Message> messages = messages(1, 3, "z".repeat(5000));

    assertThat(CommitBatches.split(CONVERSATION, messages, 1000)).hasSize(3);
  }

  @Test
  void should_reject_gaps_foreign_messages_and_seq_zero() {
    List<Message> gap = List.of(message(1, "a"), message(3, "b"));
    assertThatThrownBy(() -> CommitBatches.split(CONVERSATION, gap, 1000)).isInstanceOf(IllegalArgumentException.class);
    List<Message> foreign = List.of(message(1, "a").toBuilder().setConversationId("g:x").build());
    assertThatThrownBy(() -> CommitBatches.split(CONVERSATION, foreign, 1000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommitBatches.split(CONVERSATION, List.of(message(0, "a")), 1000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommitBatches.split(CONVERSATION, List.of(), 1000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Message> messages(long from, long to, String body) {
    return LongStream.rangeClosed(from, to).mapToObj(seq -> message(seq, body)).toList();
  }

  private static Message message(long seq, String body) {
    return Message.newBuilder().setConversationId(CONVERSATION).setSeq(seq).setBody(body).build();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }
}
