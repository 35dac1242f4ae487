package dev.messenger.systemtests.infra;

import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.GetMessagesRequest;
import dev.messenger.api.v1.GetMessagesResponse;
import dev.messenger.api.v1.GetPresenceRequest;
import dev.messenger.api.v1.HistoryGrpc;
import dev.messenger.api.v1.ListConversationsRequest;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.PresenceGrpc;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.api.v1.SyncRequest;
import dev.messenger.api.v1.SyncResponse;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.JavaProcess;
import dev.messenger.launcher.ModuleClasspath;
import dev.messenger.client.TransportSecurity;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user of the stack {@code ./messenger up} starts, signed in with a token minted exactly as
 * {@code ./messenger token} mints it (the chat tool's main, with no key configured), talking to the
 * services on the ports the stack printed.
 */
final class DefaultStackUser implements AutoCloseable {
  private static final Pattern JWT = Pattern.compile("^([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)$",
      Pattern.MULTILINE);

  private final List<ManagedChannel> channels;
  private final SessionGrpc.SessionBlockingStub session;
  private final SessionGrpc.SessionStub sessionStreams;
  private final HistoryGrpc.HistoryBlockingStub history;
  private final PresenceGrpc.PresenceBlockingStub presence;

  private DefaultStackUser(String token, int sessionPort, int historyPort, int presencePort,
      ChannelCredentials credentials) {
    ManagedChannel sessionChannel = channel(sessionPort, credentials);
    ManagedChannel historyChannel = channel(historyPort, credentials);
    ManagedChannel presenceChannel = channel(presencePort, credentials);
    this.channels = List.of(sessionChannel, historyChannel, presenceChannel);
    this.session = authorized(SessionGrpc.newBlockingStub(sessionChannel), token);
    this.sessionStreams = authorized(SessionGrpc.newStub(sessionChannel), token);
    this.history = authorized(HistoryGrpc.newBlockingStub(historyChannel), token);
    this.presence = authorized(PresenceGrpc.newBlockingStub(presenceChannel), token);
  }

  /** Signs in with a token from {@code ./messenger token}'s code path; the stack's ports are base + 100 ... */
  static DefaultStackUser signIn(Path root, Path workDir, String user, String device, int basePort)
      throws IOException {
    return signIn(root, workDir, user, device, basePort, TransportSecurity.plaintext());
  }

  /** As {@link #signIn(Path, Path, String, String, int)}, reaching the services with these credentials. */
  static DefaultStackUser signIn(Path root, Path workDir, String user, String device, int basePort,
      ChannelCredentials credentials) throws IOException {
    return new DefaultStackUser(mintToken(root, workDir, user, device), basePort + 100, basePort + 300,
        basePort + 400, credentials);
  }

  /** Runs {@code ChatMain token} as {@code ./messenger token} does, without MESSENGER_TOKEN_KEY. */
  static String mintToken(Path root, Path workDir, String user, String device) throws IOException {
    Path log = workDir.resolve("token-" + user + "-" + device + ".log");
    try (ChildProcess minter = JavaProcess.builder("dev.messenger.chat.ChatMain")
        .name("token-" + user)
        .classpath(ModuleClasspath.of(root, "tools/chat"))
        .jvmOptions("-Xmx64m")
        .removeEnvironment("MESSENGER_TOKEN_KEY")
        .args("token", "--user", user, "--device", device)
        .logFile(log)
        .start()) {
      if (!minter.awaitExit(Duration.ofSeconds(60))) {
        throw new IllegalStateException("the token minter did not finish: " + minter.logTail(20));
      }
    }
    Matcher token = JWT.matcher(Files.readString(log));
    if (!token.find()) {
      throw new IllegalStateException("no token printed: " + Files.readString(log));
    }
    return token.group(1);
  }

  SendAck sendTo(String peer, String clientMessageId, String body) {
    return session.withDeadlineAfter(20, TimeUnit.SECONDS).send(SendRequest.newBuilder()
        .setClientMessageId(clientMessageId).setToUserId(peer).setBody(body).build());
  }

  /** Opens a web subscription (stream liveness for presence); frames go to {@code frames}. */
  void subscribe(StreamObserver<ServerFrame> frames) {
    sessionStreams.subscribe(SubscribeRequest.getDefaultInstance(), frames);
  }

  ListConversationsResponse listConversations() {
    return history.withDeadlineAfter(10, TimeUnit.SECONDS).listConversations(
        ListConversationsRequest.getDefaultInstance());
  }

  GetMessagesResponse messages(String conversationId) {
    return history.withDeadlineAfter(10, TimeUnit.SECONDS).getMessages(
        GetMessagesRequest.newBuilder().setConversationId(conversationId).build());
  }

  SyncResponse syncFromScratch() {
    return history.withDeadlineAfter(10, TimeUnit.SECONDS).sync(
        SyncRequest.newBuilder().setCursor(Cursor.getDefaultInstance()).build());
  }

  PresenceUpdate presenceOf(String user) {
    return presence.withDeadlineAfter(10, TimeUnit.SECONDS)
        .getPresence(GetPresenceRequest.newBuilder().addUserIds(user).build()).getPresences(0);
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
  }

  private static ManagedChannel channel(int port, ChannelCredentials credentials) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
  }

  private static <S extends AbstractStub<S>> S authorized(S stub, String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }
}
