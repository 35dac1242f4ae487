package dev.messenger.router;

import dev.messenger.api.v1.Group;
import dev.messenger.api.v1.GroupChange;
import dev.messenger.api.v1.GroupChangeKind;
import dev.messenger.api.v1.GroupMember;
import dev.messenger.api.v1.GroupRole;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.history.store.StoredGroup;
import dev.messenger.internal.v1.GroupCommand;
import io.grpc.StatusRuntimeException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A group at one seq (members in the order they joined, roles, title) and the rules of who may change what.
 * {@link #decide} turns a member's command into the change to sequence, or refuses it with a precise status;
 * {@link #apply} moves the state past a committed change. Not thread-safe: the sequencer holds it under the
 * conversation's lock.
 */
final class GroupState {
  static final int MAX_MEMBERS = 500;
  static final int MAX_TITLE_CODE_POINTS = 200;

  private record Member(GroupRole role, long sinceSeq) {}

  private final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
  private String title = "";
  private long createdMs;
  private long version;

  private GroupState() {}

  /** A group that has never been created. */
  static GroupState empty() {
    return new GroupState();
  }

  /** The group as projected up to its checkpoint. */
  static GroupState of(StoredGroup stored) {
    GroupState state = new GroupState();
    state.title = stored.title();
    state.createdMs = stored.createdMs();
    state.version = stored.version();
    for (GroupMember m : stored.members()) {
      state.members.put(m.getUserId(), new Member(m.getRole(), m.getSinceSeq()));
    }
    return state;
  }

  GroupState copy() {
    GroupState copy = new GroupState();
    copy.members.putAll(members);
    copy.title = title;
    copy.createdMs = createdMs;
    copy.version = version;
    return copy;
  }

  boolean exists() {
    return version > 0;
  }

  boolean isMember(String userId) {
    return members.containsKey(userId);
  }

  /** The seq of the latest change. */
  long version() {
    return version;
  }

  Set<String> memberIds() {
    return Set.copyOf(members.keySet());
  }

  /**
   * The change that {@code actor}'s command makes, empty when it changes nothing (adding members who are all
   * members already, removing non-members, renaming to the same title, setting a role a member has).
   *
   * @throws StatusRuntimeException PERMISSION_DENIED (NOT_A_MEMBER, NOT_ALLOWED), INVALID_ARGUMENT or
   *     FAILED_PRECONDITION (GROUP_FULL): nothing changes
   */
  Optional<GroupChange> decide(String actor, GroupCommand command) {
    if (command.getCommandCase() == GroupCommand.CommandCase.CREATE) {
      return Optional.of(create(actor, command.getCreate().getTitle(), command.getCreate().getMemberUserIdsList()));
    }
    if (!isMember(actor)) {
      throw notAMember();
    }
    GroupRole role = members.get(actor).role();
    return switch (command.getCommandCase()) {
      case ADD -> add(role, command.getAdd().getUserIdsList());
      case REMOVE -> remove(actor, role, command.getRemove().getUserIdsList());
      case LEAVE -> Optional.of(leave(actor, role));
      case RENAME -> rename(role, command.getRename().getTitle());
      case SET_ROLE -> setRole(actor, role, command.getSetRole().getUserId(), command.getSetRole().getRole());
      default -> throw ApiErrors.invalidArgument("MISSING_COMMAND", "the group command is empty");
    };
  }

  private GroupChange create(String actor, String newTitle, List<String> others) {
    if (exists()) {
      throw ApiErrors.failedPrecondition("GROUP_EXISTS", "this group exists already");
    }
    requireTitle(newTitle);
    Set<String> invited = validIds(others);
    invited.remove(actor);
    if (invited.size() + 1 > MAX_MEMBERS) {
      throw ApiErrors.invalidArgument("GROUP_TOO_LARGE",
          "a group has at most " + MAX_MEMBERS + " members; asked for " + (invited.size() + 1));
    }
    GroupChange.Builder change = GroupChange.newBuilder()
        .setKind(GroupChangeKind.GROUP_CHANGE_KIND_CREATED)
        .setTitle(newTitle)
        .addMembers(member(actor, GroupRole.GROUP_ROLE_OWNER));
    invited.forEach(u -> change.addMembers(member(u, GroupRole.GROUP_ROLE_MEMBER)));
    return change.build();
  }

  private Optional<GroupChange> add(GroupRole role, List<String> userIds) {
    requireAdmin(role, "add members");
    Set<String> added = validIds(userIds);
    added.removeAll(members.keySet());
    if (added.isEmpty()) {
      return Optional.empty();
    }
    if (members.size() + added.size() > MAX_MEMBERS) {
      throw ApiErrors.failedPrecondition("GROUP_FULL", "a group has at most " + MAX_MEMBERS + " members; it has "
          + members.size() + " and " + added.size() + " would join");
    }
    GroupChange.Builder change = GroupChange.newBuilder().setKind(GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_ADDED);
    added.forEach(u -> change.addMembers(member(u, GroupRole.GROUP_ROLE_MEMBER)));
    return Optional.of(change.build());
  }

  private Optional<GroupChange> remove(String actor, GroupRole role, List<String> userIds) {
    requireAdmin(role, "remove members");
    Set<String> removed = validIds(userIds);
    removed.retainAll(members.keySet());
    if (removed.contains(actor)) {
      throw ApiErrors.invalidArgument("SELF_REMOVAL", "leave the group with LeaveGroup instead");
    }
    for (String target : removed) {
      GroupRole targetRole = members.get(target).role();
      if (targetRole == GroupRole.GROUP_ROLE_OWNER
          || (targetRole == GroupRole.GROUP_ROLE_ADMIN && role != GroupRole.GROUP_ROLE_OWNER)) {
        throw notAllowed("only the owner removes admins, and nobody removes the owner");
      }
    }
    if (removed.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(GroupChange.newBuilder()
        .setKind(GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_REMOVED)
        .addAllRemovedUserIds(removed)
        .build());
  }

  private GroupChange leave(String actor, GroupRole role) {
    GroupChange.Builder change = GroupChange.newBuilder()
        .setKind(GroupChangeKind.GROUP_CHANGE_KIND_MEMBER_LEFT)
        .addRemovedUserIds(actor);
    if (role == GroupRole.GROUP_ROLE_OWNER) {
      successor(actor).ifPresent(next -> change.addMembers(member(next, GroupRole.GROUP_ROLE_OWNER)));
    }
    return change.build();
  }

  /** The longest-standing admin, else the longest-standing member, other than {@code leaving}. */
  private Optional<String> successor(String leaving) {
    String firstMember = null;
    for (Map.Entry<String, Member> e : members.entrySet()) {
      if (e.getKey().equals(leaving)) {
        continue;
      }
      if (e.getValue().role() == GroupRole.GROUP_ROLE_ADMIN) {
        return Optional.of(e.getKey());
      }
      if (firstMember == null) {
        firstMember = e.getKey();
      }
    }
    return Optional.ofNullable(firstMember);
  }

  private Optional<GroupChange> rename(GroupRole role, String newTitle) {
    requireAdmin(role, "rename the group");
    requireTitle(newTitle);
    if (newTitle.equals(title)) {
      return Optional.empty();
    }
    return Optional.of(GroupChange.newBuilder()
        .setKind(GroupChangeKind.GROUP_CHANGE_KIND_RENAMED)
        .setTitle(newTitle)
        .build());
  }

  private Optional<GroupChange> setRole(String actor, GroupRole role, String target, GroupRole newRole) {
    if (role != GroupRole.GROUP_ROLE_OWNER) {
      throw notAllowed("only the owner changes roles");
    }
    if (newRole != GroupRole.GROUP_ROLE_MEMBER && newRole != GroupRole.GROUP_ROLE_ADMIN
        && newRole != GroupRole.GROUP_ROLE_OWNER) {
      throw ApiErrors.invalidArgument("INVALID_ROLE", "role must be MEMBER, ADMIN or OWNER");
    }
    if (target.equals(actor)) {
      throw ApiErrors.invalidArgument("OWN_ROLE", "hand ownership over by giving another member GROUP_ROLE_OWNER");
    }
    Member current = members.get(target);
    if (current == null) {
      throw ApiErrors.invalidArgument("USER_NOT_A_MEMBER", "that user is not a member of this group");
    }
    if (current.role() == newRole) {
      return Optional.empty();
    }
    GroupChange.Builder change = GroupChange.newBuilder()
        .setKind(GroupChangeKind.GROUP_CHANGE_KIND_ROLE_CHANGED)
        .addMembers(member(target, newRole));
    if (newRole == GroupRole.GROUP_ROLE_OWNER) {
      change.addMembers(member(actor, GroupRole.GROUP_ROLE_ADMIN));
    }
    return Optional.of(change.build());
  }

  /** Moves the state past a change committed at {@code seq}. Applying a change twice changes nothing more. */
  void apply(GroupChange change, long seq, long timeMs) {
    boolean joining = joins(change);
    if (change.getKind() == GroupChangeKind.GROUP_CHANGE_KIND_CREATED && createdMs == 0) {
      createdMs = timeMs;
    }
    for (GroupMember m : change.getMembersList()) {
      Member current = members.get(m.getUserId());
      long since = joining || current == null ? seq : current.sinceSeq();
      members.put(m.getUserId(), new Member(m.getRole(), since));
    }
    change.getRemovedUserIdsList().forEach(members::remove);
    if (!change.getTitle().isEmpty()) {
      title = change.getTitle();
    }
    version = Math.max(version, seq);
  }

  Group toProto(String conversationId) {
    Group.Builder group = Group.newBuilder()
        .setConversationId(conversationId)
        .setTitle(title)
        .setCreatedMs(createdMs)
        .setVersion(version);
    members.forEach((id, m) -> group.addMembers(
        GroupMember.newBuilder().setUserId(id).setRole(m.role()).setSinceSeq(m.sinceSeq())));
    return group.build();
  }

  /** The member set after {@code change}, from the set before it. */
  static Set<String> membersAfter(Set<String> before, GroupChange change) {
    Set<String> after = new HashSet<>(before);
    if (joins(change)) {
      change.getMembersList().forEach(m -> after.add(m.getUserId()));
    }
    change.getRemovedUserIdsList().forEach(after::remove);
    return Set.copyOf(after);
  }

  /** Who receives the entry of a change: the members after it and those it removed. */
  static Set<String> recipients(Set<String> after, GroupChange change) {
    if (change.getRemovedUserIdsCount() == 0) {
      return after;
    }
    Set<String> all = new HashSet<>(after);
    all.addAll(change.getRemovedUserIdsList());
    return Set.copyOf(all);
  }

  /** A one-line summary for the entry's body (apps render from the structured change). */
  static String summary(String actor, GroupChange change) {
    return switch (change.getKind()) {
      case GROUP_CHANGE_KIND_CREATED -> actor + " created the group \"" + change.getTitle() + "\" with "
          + change.getMembersCount() + " members";
      case GROUP_CHANGE_KIND_MEMBERS_ADDED -> actor + " added " + names(change.getMembersList().stream()
          .map(GroupMember::getUserId).toList());
      case GROUP_CHANGE_KIND_MEMBERS_REMOVED -> actor + " removed " + names(change.getRemovedUserIdsList());
      case GROUP_CHANGE_KIND_MEMBER_LEFT -> actor + " left";
      case GROUP_CHANGE_KIND_RENAMED -> actor + " renamed the group \"" + change.getTitle() + "\"";
      case GROUP_CHANGE_KIND_ROLE_CHANGED -> actor + " changed the role of " + change.getMembers(0).getUserId();
      default -> actor + " changed the group";
    };
  }

  private static String names(List<String> userIds) {
    return userIds.size() <= 3 ? String.join(", ", userIds) : userIds.size() + " members";
  }

  private static boolean joins(GroupChange change) {
    return change.getKind() == GroupChangeKind.GROUP_CHANGE_KIND_CREATED
        || change.getKind() == GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_ADDED;
  }

  private static GroupMember member(String userId, GroupRole role) {
    return GroupMember.newBuilder().setUserId(userId).setRole(role).build();
  }

  private static Set<String> validIds(List<String> userIds) {
    Set<String> ids = new LinkedHashSet<>();
    for (String id : userIds) {
      if (!Tokens.isValidId(id)) {
        throw ApiErrors.invalidArgument("INVALID_USER_ID", "not a valid user id: " + abbreviate(id));
      }
      ids.add(id);
    }
    return ids;
  }

  private static String abbreviate(String id) {
    return id.length() > 64 ? id.substring(0, 64) + "..." : id;
  }

  private static void requireTitle(String title) {
    int length = title.codePointCount(0, title.length());
    if (title.isBlank() || length > MAX_TITLE_CODE_POINTS) {
      throw ApiErrors.invalidArgument("INVALID_TITLE",
          "a group title has 1 to " + MAX_TITLE_CODE_POINTS + " characters and is not blank");
    }
  }

  private static void requireAdmin(GroupRole role, String what) {
    if (role != GroupRole.GROUP_ROLE_ADMIN && role != GroupRole.GROUP_ROLE_OWNER) {
      throw notAllowed("only admins and the owner " + what);
    }
  }

  private static StatusRuntimeException notAllowed(String message) {
    return ApiErrors.permissionDenied("NOT_ALLOWED", message);
  }

  static StatusRuntimeException notAMember() {
    return ApiErrors.permissionDenied("NOT_A_MEMBER", "you are not a member of this conversation");
  }
}
