package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.api.v1.AddMembersRequest;
import dev.messenger.api.v1.CreateGroupRequest;
import dev.messenger.api.v1.GroupChange;
import dev.messenger.api.v1.GroupChangeKind;
import dev.messenger.api.v1.GroupMember;
import dev.messenger.api.v1.GroupRole;
import dev.messenger.api.v1.LeaveGroupRequest;
import dev.messenger.api.v1.RemoveMembersRequest;
import dev.messenger.api.v1.RenameGroupRequest;
import dev.messenger.api.v1.SetMemberRoleRequest;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.internal.v1.GroupCommand;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GroupStateTest {
  private long seq;

  private GroupState created(String owner, String... others) {
    GroupState state = GroupState.empty();
    commit(state, owner, GroupCommand.newBuilder().setCreate(CreateGroupRequest.newBuilder()
        .setClientRequestId("c").setTitle("team").addAllMemberUserIds(List.of(others))).build());
    return state;
  }

  private Optional<GroupChange> commit(GroupState state, String actor, GroupCommand command) {
    Optional<GroupChange> change = state.decide(actor, command);
    change.ifPresent(c -> state.apply(c, ++seq, 1000));
    return change;
  }

  private static GroupCommand add(String... users) {
    return GroupCommand.newBuilder().setAdd(AddMembersRequest.newBuilder().addAllUserIds(List.of(users))).build();
  }

  private static GroupCommand remove(String... users) {
    return GroupCommand.newBuilder().setRemove(RemoveMembersRequest.newBuilder().addAllUserIds(List.of(users)))
        .build();
  }

  private static GroupCommand role(String user, GroupRole role) {
    return GroupCommand.newBuilder().setSetRole(SetMemberRoleRequest.newBuilder().setUserId(user).setRole(role))
        .build();
  }

  private static GroupCommand leave() {
    return GroupCommand.newBuilder().setLeave(LeaveGroupRequest.getDefaultInstance()).build();
  }

  private static void assertRefused(Runnable call, Status.Code code, String reason) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(ApiErrors.reasonOf(e)).isEqualTo(reason);
    });
  }

  @Test
  void should_make_the_creator_owner_and_the_others_members_from_the_creation_seq() {
    GroupState state = created("alice", "bob", "carol", "alice", "bob");

    var group = state.toProto("g:x");
    assertThat(group.getMembersList()).extracting(GroupMember::getUserId).containsExactly("alice", "bob", "carol");
    assertThat(group.getMembers(0).getRole()).isEqualTo(GroupRole.GROUP_ROLE_OWNER);
    assertThat(group.getMembers(1).getRole()).isEqualTo(GroupRole.GROUP_ROLE_MEMBER);
    assertThat(group.getMembersList()).allSatisfy(m -> assertThat(m.getSinceSeq()).isEqualTo(1));
    assertThat(group.getTitle()).isEqualTo("team");
    assertThat(group.getVersion()).isEqualTo(1);
  }

  @Test
  void should_refuse_a_group_of_more_than_500_members_at_creation() {
    String[] others = IntStream.range(0, 500).mapToObj(i -> "u" + i).toArray(String[]::new);
    assertRefused(() -> created("alice", others), Status.Code.INVALID_ARGUMENT, "GROUP_TOO_LARGE");
  }

  @Test
  void should_refuse_the_501st_member_and_change_nothing() {
    String[] others = IntStream.range(0, 499).mapToObj(i -> "u" + i).toArray(String[]::new);
    GroupState state = created("alice", others);
    assertThat(state.memberIds()).hasSize(500);

    assertRefused(() -> commit(state, "alice", add("late", "u1")), Status.Code.FAILED_PRECONDITION, "GROUP_FULL");

    assertThat(state.memberIds()).hasSize(500).doesNotContain("late");
    assertThat(state.version()).isEqualTo(1);
    assertThat(commit(state, "alice", add("u1", "u2"))).as("already members: nothing to do").isEmpty();
  }

  @Test
  void should_let_only_admins_and_the_owner_add_and_only_the_owner_remove_admins() {
    GroupState state = created("alice", "bob", "carol");
    assertRefused(() -> commit(state, "bob", add("dave")), Status.Code.PERMISSION_DENIED, "NOT_ALLOWED");
    assertRefused(() -> commit(state, "mallory", add("dave")), Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");

    commit(state, "alice", role("bob", GroupRole.GROUP_ROLE_ADMIN));
    commit(state, "bob", add("dave"));
    assertRefused(() -> commit(state, "bob", remove("alice")), Status.Code.PERMISSION_DENIED, "NOT_ALLOWED");
    commit(state, "alice", role("carol", GroupRole.GROUP_ROLE_ADMIN));
    assertRefused(() -> commit(state, "bob", remove("carol")), Status.Code.PERMISSION_DENIED, "NOT_ALLOWED");
    assertRefused(() -> commit(state, "bob", role("dave", GroupRole.GROUP_ROLE_ADMIN)),
        Status.Code.PERMISSION_DENIED, "NOT_ALLOWED");

    GroupChange removal = commit(state, "bob", remove("dave", "nobody")).orElseThrow();
    assertThat(removal.getRemovedUserIdsList()).containsExactly("dave");
    commit(state, "alice", remove("carol"));
    assertThat(state.memberIds()).containsExactlyInAnyOrder("alice", "bob");
  }

  @Test
  void should_hand_ownership_to_the_longest_standing_admin_when_the_owner_leaves() {
    GroupState state = created("alice", "bob");
    commit(state, "alice", add("carol"));
    commit(state, "alice", add("dave"));
    commit(state, "alice", role("dave", GroupRole.GROUP_ROLE_ADMIN));

    GroupChange left = commit(state, "alice", leave()).orElseThrow();

    assertThat(left.getKind()).isEqualTo(GroupChangeKind.GROUP_CHANGE_KIND_MEMBER_LEFT);
    assertThat(left.getMembersList()).containsExactly(
        GroupMember.newBuilder().setUserId("dave").setRole(GroupRole.GROUP_ROLE_OWNER).build());
    var members = state.toProto("g:x").getMembersList();
    assertThat(members).extracting(GroupMember::getUserId).containsExactly("bob", "carol", "dave");
    assertThat(members.get(2).getRole()).isEqualTo(GroupRole.GROUP_ROLE_OWNER);
    assertThat(members.get(2).getSinceSeq()).as("a role change keeps since_seq").isEqualTo(3);
  }

  @Test
  void should_transfer_ownership_and_make_the_old_owner_admin() {
    GroupState state = created("alice", "bob");
    commit(state, "alice", role("bob", GroupRole.GROUP_ROLE_OWNER));
    var members = state.toProto("g:x").getMembersList();
    assertThat(members).extracting(GroupMember::getRole)
        .containsExactly(GroupRole.GROUP_ROLE_ADMIN, GroupRole.GROUP_ROLE_OWNER);
  }

  @Test
  void should_validate_titles_and_user_ids() {
    GroupState state = created("alice", "bob");
    assertRefused(() -> commit(state, "alice", GroupCommand.newBuilder()
        .setRename(RenameGroupRequest.newBuilder().setTitle(" ")).build()), Status.Code.INVALID_ARGUMENT,
        "INVALID_TITLE");
    assertRefused(() -> commit(state, "alice", add("not valid!")), Status.Code.INVALID_ARGUMENT, "INVALID_USER_ID");
    assertRefused(() -> commit(state, "alice", remove("alice")), Status.Code.INVALID_ARGUMENT, "SELF_REMOVAL");
  }

  @Test
  void should_give_the_same_state_when_a_change_is_applied_again() {
    GroupState state = created("alice", "bob");
    GroupChange added = commit(state, "alice", add("carol")).orElseThrow();
    GroupChange removed = commit(state, "alice", remove("carol")).orElseThrow();
    var expected = state.toProto("g:x");

    state.apply(added, 2, 1000);
    state.apply(removed, 3, 1000);

    assertThat(state.toProto("g:x")).isEqualTo(expected);
    assertThat(GroupState.recipients(state.memberIds(), removed)).containsExactlyInAnyOrder("alice", "bob", "carol");
  }
}
