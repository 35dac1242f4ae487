package dev.messenger.common;

import dev.messenger.api.v1.GroupChangeKind;
import dev.messenger.api.v1.GroupMember;
import dev.messenger.api.v1.Message;

/** What a group's SYSTEM entries mean to one member's delivery order. */
public final class GroupEntries {
  private GroupEntries() {}

  /**
   * True when {@code message} is the entry that made {@code userId} a member (created with, or added): the
   * user sees the group from this seq on, so it follows whatever seq they had before (none, or the entry that
   * removed them) without a gap.
   */
  public static boolean opensFor(Message message, String userId) {
    if (!message.hasGroupChange()) {
      return false;
    }
    GroupChangeKind kind = message.getGroupChange().getKind();
    if (kind != GroupChangeKind.GROUP_CHANGE_KIND_CREATED && kind != GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_ADDED) {
      return false;
    }
    for (GroupMember member : message.getGroupChange().getMembersList()) {
      if (member.getUserId().equals(userId)) {
        return true;
      }
    }
    return false;
  }
}
