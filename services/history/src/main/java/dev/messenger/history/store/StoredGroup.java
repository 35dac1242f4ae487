package dev.messenger.history.store;

import dev.messenger.api.v1.Group;
import dev.messenger.api.v1.GroupMember;
import java.util.List;

/**
 * A group as projected: title, creation time, the seq of its latest projected change, and its members in the
 * order they joined (each with role and the seq they see the group from).
 */
public record StoredGroup(String conversationId, String title, long createdMs, long version,
    List<GroupMember> members) {

  public StoredGroup {
    title = title == null ? "" : title;
    members = List.copyOf(members);
  }

  /** True when the user is a member now. */
  public boolean hasMember(String userId) {
    return members.stream().anyMatch(m -> m.getUserId().equals(userId));
  }

  public Group toProto() {
    return Group.newBuilder()
        .setConversationId(conversationId)
        .setTitle(title)
        .setCreatedMs(createdMs)
        .setVersion(version)
        .addAllMembers(members)
        .build();
  }
}
