package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.Receipt;
import dev.messenger.api.v1.ReceiptKind;
import org.junit.jupiter.api.Test;

class ReceiptFilterTest {
  private final ReceiptFilter filter = new ReceiptFilter();

  @Test
  void should_drop_a_receipt_that_does_not_move_forward() {
    assertThat(filter.admit(delivered("dm:a:b", "b", 2))).isTrue();
    assertThat(filter.admit(delivered("dm:a:b", "b", 1))).as("another device, behind").isFalse();
    assertThat(filter.admit(delivered("dm:a:b", "b", 2))).as("the same again").isFalse();
    assertThat(filter.admit(delivered("dm:a:b", "b", 3))).isTrue();
  }

  @Test
  void should_keep_conversations_members_and_kinds_apart() {
    assertThat(filter.admit(delivered("dm:a:b", "b", 5))).isTrue();
    assertThat(filter.admit(read("dm:a:b", "b", 1))).isTrue();
    assertThat(filter.admit(delivered("g:team", "b", 1))).isTrue();
    assertThat(filter.admit(delivered("g:team", "c", 1))).isTrue();
  }

  @Test
  void should_forget_the_least_recently_used_beyond_its_bound() {
    assertThat(filter.admit(delivered("dm:a:first", "b", 9))).isTrue();
    for (int i = 0; i < ReceiptFilter.REMEMBERED; i++) {
      filter.admit(delivered("dm:a:other" + i, "b", 1));
    }
    assertThat(filter.admit(delivered("dm:a:first", "b", 1))).as("forgotten").isTrue();
    assertThat(filter.admit(delivered("dm:a:other255", "b", 1))).as("still remembered").isFalse();
  }

  private static Receipt delivered(String conversation, String user, long upTo) {
    return receipt(conversation, user, ReceiptKind.RECEIPT_KIND_DELIVERED, upTo);
  }

  private static Receipt read(String conversation, String user, long upTo) {
    return receipt(conversation, user, ReceiptKind.RECEIPT_KIND_READ, upTo);
  }

  private static Receipt receipt(String conversation, String user, ReceiptKind kind, long upTo) {
    return Receipt.newBuilder().setConversationId(conversation).setUserId(user).setKind(kind).setUpToSeq(upTo)
        .build();
  }
}
