package dev.messenger.client;

import dev.messenger.api.v1.GroupChangeKind;
import dev.messenger.api.v1.GroupMember;
import dev.messenger.api.v1.Message;

/**
 * A group member sees the group from the entry that added them: that entry follows whatever seq the device
 * had before (none, or the entry that removed the user) without being a gap.
 */
final class VisibilityStart {
  private VisibilityStart() {}

  static boolean opensFor(Message message, String userId) {
    if (userId == null || !message.hasGroupChange()) {
      return false;
    }
    GroupChangeKind kind = message.getGroupChange().getKind();
    if (kind != GroupChangeKind.GROUP_CHANGE_KIND_CREATED && kind != GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_ADDED) {
      return false;
    }
    return message.getGroupChange().getMembersList().stream().map(GroupMember::getUserId).anyMatch(userId::equals);
  }
}
