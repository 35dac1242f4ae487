package dev.messenger.session;

import dev.messenger.api.v1.AddMembersRequest;
import dev.messenger.api.v1.CreateGroupRequest;
import dev.messenger.api.v1.GetGroupRequest;
import dev.messenger.api.v1.Group;
import dev.messenger.api.v1.GroupsGrpc;
import dev.messenger.api.v1.LeaveGroupRequest;
import dev.messenger.api.v1.LeaveGroupResponse;
import dev.messenger.api.v1.RemoveMembersRequest;
import dev.messenger.api.v1.RenameGroupRequest;
import dev.messenger.api.v1.SetMemberRoleRequest;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.internal.v1.GroupCommand;
import dev.messenger.internal.v1.SubmitReply;
import dev.messenger.internal.v1.SubmitRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The Groups service on session servers, where clients already are. A change is a {@link GroupCommand} handed
 * to the router owning the group's shard like a send (same subject, retries and idempotency); the router
 * decides it at the group's head and answers once it is committed. GetGroup reads the projected group.
 */
final class GroupsService extends GroupsGrpc.GroupsImplBase {
  private static final int MAX_REQUEST_ID_LENGTH = 64;

  private final RouterClient router;
  private final SessionStore store;
  private final ProjectionWait projected;

  GroupsService(RouterClient router, SessionStore store, ProjectionWait projected) {
    this.router = router;
    this.store = store;
    this.projected = projected;
  }

  /** The group a caller's CreateGroup with this request id creates: the same for every retry. */
  static String groupIdFor(String creator, String clientRequestId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((creator + '\u0000' + clientRequestId).getBytes(StandardCharsets.UTF_8));
      return "g:" + HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  @Override
  public void createGroup(CreateGroupRequest request, StreamObserver<Group> responses) {
    Principal caller = Principal.current();
    String requestId = request.getClientRequestId();
    if (requestId.isEmpty() || requestId.length() > MAX_REQUEST_ID_LENGTH) {
      responses.onError(ApiErrors.invalidArgument("INVALID_CLIENT_REQUEST_ID",
          "client_request_id must have 1 to " + MAX_REQUEST_ID_LENGTH + " characters"));
      return;
    }
    SubmitRequest submit = submit(caller, groupIdFor(caller.userId(), requestId), "create:" + requestId,
        GroupCommand.newBuilder().setCreate(request).build());
    reply(committed(submit), responses);
  }

  @Override
  public void addMembers(AddMembersRequest request, StreamObserver<Group> responses) {
    change(request.getConversationId(), GroupCommand.newBuilder().setAdd(request).build(), responses);
  }

  @Override
  public void removeMembers(RemoveMembersRequest request, StreamObserver<Group> responses) {
    change(request.getConversationId(), GroupCommand.newBuilder().setRemove(request).build(), responses);
  }

  @Override
  public void renameGroup(RenameGroupRequest request, StreamObserver<Group> responses) {
    change(request.getConversationId(), GroupCommand.newBuilder().setRename(request).build(), responses);
  }

  @Override
  public void setMemberRole(SetMemberRoleRequest request, StreamObserver<Group> responses) {
    change(request.getConversationId(), GroupCommand.newBuilder().setSetRole(request).build(), responses);
  }

  @Override
  public void leaveGroup(LeaveGroupRequest request, StreamObserver<LeaveGroupResponse> responses) {
    if (!isGroup(request.getConversationId(), responses)) {
      return;
    }
    SubmitRequest submit = submit(Principal.current(), request.getConversationId(), commandId(),
        GroupCommand.newBuilder().setLeave(request).build());
    reply(router.call(submit).thenApply(r -> LeaveGroupResponse.newBuilder().setSeq(r.getAck().getSeq()).build()),
        responses);
  }

  @Override
  public void getGroup(GetGroupRequest request, StreamObserver<Group> responses) {
    Principal caller = Principal.current();
    if (!isGroup(request.getConversationId(), responses)) {
      return;
    }
    reply(store.group(request.getConversationId()).thenApply(found -> found
        .filter(g -> g.hasMember(caller.userId()))
        .orElseThrow(() -> new CompletionException(notAMember()))
        .toProto()), responses);
  }

  private void change(String conversationId, GroupCommand command, StreamObserver<Group> responses) {
    if (!isGroup(conversationId, responses)) {
      return;
    }
    reply(committed(submit(Principal.current(), conversationId, commandId(), command)), responses);
  }

  /** The group after the change, answered once the change is projected (or after the wait's limit). */
  private CompletionStage<Group> committed(SubmitRequest submit) {
    return router.call(submit).thenApply(GroupsService::group).thenCompose(group -> projected
        .until(submit.getConversationId(), group.getVersion()).thenApply(done -> group));
  }

  private static Group group(SubmitReply reply) {
    if (!reply.hasGroup()) {
      throw new CompletionException(notAMember());
    }
    return reply.getGroup();
  }

  private static SubmitRequest submit(Principal caller, String conversationId, String clientId,
      GroupCommand command) {
    return SubmitRequest.newBuilder()
        .setSenderUserId(caller.userId())
        .setSenderDeviceId(caller.deviceId())
        .setClientMessageId(clientId)
        .setConversationId(conversationId)
        .setGroupCommand(command)
        .build();
  }

  /** Each change call is one command: the router deduplicates this call's own retries by it. */
  private static String commandId() {
    return "cmd:" + UUID.randomUUID();
  }

  private static boolean isGroup(String conversationId, StreamObserver<?> responses) {
    try {
      ConversationIds.fromRequest(conversationId);
    } catch (StatusRuntimeException e) {
      responses.onError(e);
      return false;
    }
    if (ConversationIds.kindOf(conversationId) != dev.messenger.api.v1.ConversationKind.CONVERSATION_KIND_GROUP) {
      responses.onError(ApiErrors.invalidArgument("NOT_A_GROUP", "conversation_id must name a group (\"g:<id>\")"));
      return false;
    }
    return true;
  }

  private static RuntimeException notAMember() {
    return ApiErrors.permissionDenied("NOT_A_MEMBER", "you are not a member of this conversation");
  }

  private static <T> void reply(CompletionStage<T> result, StreamObserver<T> responses) {
    result.whenComplete((value, error) -> {
      if (error != null) {
        responses.onError(ConnectHandler.unwrap(error));
      } else {
        responses.onNext(value);
        responses.onCompleted();
      }
    });
  }

}
