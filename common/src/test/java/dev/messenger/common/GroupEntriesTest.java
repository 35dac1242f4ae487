package dev.messenger.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.GroupChange;
import dev.messenger.api.v1.GroupChangeKind;
import dev.messenger.api.v1.GroupMember;
import dev.messenger.api.v1.Message;
import org.junit.jupiter.api.Test;

class GroupEntriesTest {
  private static Message entry(GroupChangeKind kind, String user) {
    return Message.newBuilder().setConversationId("g:1").setSeq(9).setGroupChange(GroupChange.newBuilder()
        .setKind(kind).addMembers(GroupMember.newBuilder().setUserId(user))).build();
  }

  @Test
  void should_open_the_group_for_the_users_it_adds_only() {
    assertThat(GroupEntries.opensFor(entry(GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_ADDED, "bob"), "bob")).isTrue();
    assertThat(GroupEntries.opensFor(entry(GroupChangeKind.GROUP_CHANGE_KIND_CREATED, "bob"), "bob")).isTrue();
    assertThat(GroupEntries.opensFor(entry(GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_ADDED, "bob"), "carol"))
        .isFalse();
    assertThat(GroupEntries.opensFor(entry(GroupChangeKind.GROUP_CHANGE_KIND_ROLE_CHANGED, "bob"), "bob")).isFalse();
    assertThat(GroupEntries.opensFor(Message.newBuilder().setSeq(9).build(), "bob")).isFalse();
  }
}
