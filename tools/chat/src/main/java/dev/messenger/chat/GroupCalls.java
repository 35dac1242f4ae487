package dev.messenger.chat;

import dev.messenger.api.v1.AddMembersRequest;
import dev.messenger.api.v1.CreateGroupRequest;
import dev.messenger.api.v1.Group;
import dev.messenger.api.v1.GroupsGrpc;
import dev.messenger.api.v1.LeaveGroupRequest;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The Groups calls of the terminal chat, on a session server (unary, with the device's token). */
final class GroupCalls implements AutoCloseable {
  private final ManagedChannel channel;
  private final Supplier<String> token;

  GroupCalls(String target, ChannelCredentials credentials, Supplier<String> token) {
    this.channel = NettyChannelBuilder.forTarget(target, credentials).build();
    this.token = token;
  }

  Group create(String title, List<String> members) {
    return stub().createGroup(CreateGroupRequest.newBuilder().setClientRequestId(UUID.randomUUID().toString())
        .setTitle(title).addAllMemberUserIds(members).build());
  }

  Group add(String conversationId, List<String> members) {
    return stub().addMembers(AddMembersRequest.newBuilder().setConversationId(conversationId)
        .addAllUserIds(members).build());
  }

  long leave(String conversationId) {
    return stub().leaveGroup(LeaveGroupRequest.newBuilder().setConversationId(conversationId).build()).getSeq();
  }

  private GroupsGrpc.GroupsBlockingStub stub() {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token.get());
    return GroupsGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
