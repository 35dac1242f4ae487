package dev.messenger.loadgen.net;

import dev.messenger.api.v1.CreateGroupRequest;
import dev.messenger.api.v1.GroupsGrpc;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Creates groups as their owners would, through a session server's Groups service. */
public final class GroupsClient {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String target;
  private final ChannelCredentials credentials;
  private final Tokens tokens;
  private final Duration tokenTtl;

  public GroupsClient(String target, ChannelCredentials credentials, Tokens tokens, Duration tokenTtl) {
    this.target = target;
    this.credentials = credentials;
    this.tokens = tokens;
    this.tokenTtl = tokenTtl;
  }

  /** Creates the group (a retry with the same request id gives the same one); returns its conversation id. */
  public String create(String ownerId, List<String> memberIds, String requestId) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(target, credentials).build();
    try {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + tokens.issue(new Principal(ownerId, "d0"), tokenTtl));
      return GroupsGrpc.newBlockingStub(channel)
          .withDeadlineAfter(60, TimeUnit.SECONDS)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .createGroup(CreateGroupRequest.newBuilder().setClientRequestId(requestId)
              .setTitle("loadgen " + requestId).addAllMemberUserIds(memberIds).build())
          .getConversationId();
    } finally {
      channel.shutdownNow();
    }
  }
}
