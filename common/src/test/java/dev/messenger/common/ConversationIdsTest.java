package dev.messenger.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.api.v1.ConversationKind;
import dev.messenger.common.errors.ApiErrors;
import org.junit.jupiter.api.Test;

class ConversationIdsTest {
  @Test
  void should_order_the_two_users_of_a_direct_conversation() {
    assertThat(ConversationIds.direct("bob", "alice")).isEqualTo("dm:alice:bob");
    assertThat(ConversationIds.direct("alice", "bob")).isEqualTo("dm:alice:bob");
    // String order, not numeric order.
    assertThat(ConversationIds.direct("u10", "u9")).isEqualTo("dm:u10:u9");
  }

  @Test
  void should_reject_a_conversation_with_oneself_or_bad_ids() {
    assertThatThrownBy(() -> ConversationIds.direct("alice", "alice")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConversationIds.direct("a:b", "c")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConversationIds.direct("", "c")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_parse_members_and_peers() {
    assertThat(ConversationIds.directMembers("dm:alice:bob")).contains(new ConversationIds.Pair("alice", "bob"));
    assertThat(ConversationIds.directMembers("dm:bob:alice")).isEmpty();
    assertThat(ConversationIds.directMembers("dm:alice")).isEmpty();
    assertThat(ConversationIds.directMembers("dm:a:b:c")).isEmpty();
    assertThat(ConversationIds.peerOf("dm:alice:bob", "alice")).contains("bob");
    assertThat(ConversationIds.peerOf("dm:alice:bob", "bob")).contains("alice");
    assertThat(ConversationIds.peerOf("dm:alice:bob", "carol")).isEmpty();
    assertThat(ConversationIds.peerOf("g:team", "alice")).isEmpty();
  }

  @Test
  void should_tell_kinds_apart() {
    assertThat(ConversationIds.kindOf("dm:alice:bob")).isEqualTo(ConversationKind.CONVERSATION_KIND_DIRECT);
    assertThat(ConversationIds.kindOf("g:team")).isEqualTo(ConversationKind.CONVERSATION_KIND_GROUP);
    assertThat(ConversationIds.kindOf("g:")).isEqualTo(ConversationKind.CONVERSATION_KIND_UNSPECIFIED);
    assertThat(ConversationIds.kindOf("x")).isEqualTo(ConversationKind.CONVERSATION_KIND_UNSPECIFIED);
  }

  @Test
  void should_refuse_a_requested_id_that_is_empty_or_longer_than_any_the_servers_make() {
    assertThat(ConversationIds.fromRequest("g:" + "x".repeat(254))).hasSize(ConversationIds.MAX_LENGTH);
    assertThatThrownBy(() -> ConversationIds.fromRequest("")).satisfies(e -> assertThat(ApiErrors.reasonOf(e))
        .isEqualTo("CONVERSATION_ID_REQUIRED"));
    assertThatThrownBy(() -> ConversationIds.fromRequest("g:" + "x".repeat(255))).satisfies(e ->
        assertThat(ApiErrors.reasonOf(e)).isEqualTo("INVALID_CONVERSATION_ID"));
  }
}
