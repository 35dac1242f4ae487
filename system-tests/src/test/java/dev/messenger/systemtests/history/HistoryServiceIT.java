package dev.messenger.systemtests.history;

import static dev.messenger.systemtests.history.HistoryFixture.await;
import static dev.messenger.systemtests.history.HistoryFixture.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.api.v1.ConversationSummary;
import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.GetMessagesRequest;
import dev.messenger.api.v1.GetMessagesResponse;
import dev.messenger.api.v1.HistoryGrpc;
import dev.messenger.api.v1.ListConversationsRequest;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SyncRequest;
import dev.messenger.api.v1.SyncResponse;
import dev.messenger.common.auth.AuthInterceptor;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.history.HistoryServer;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The History gRPC service in-process with the production wiring, real tokens and a real CQL store. */
@WithRealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HistoryServiceIT {
  private static final String KEY = "history-service-it-signing-key-0123456789abcdef";
  private static final String DM = "dm:svc-alice:svc-bob";

  private final Tokens tokens = new Tokens(KEY, Clock.systemUTC());
  private HistoryFixture fixture;
  private ServiceServer server;
  private ManagedChannel channel;
  private List<Message> dmMessages;

  @BeforeAll
  void start(InfrastructureEndpoints endpoints) {
    fixture = HistoryFixture.create(endpoints);
    String name = InProcessServerBuilder.generateName();
    server = HistoryServer.start(InProcessServerBuilder.forName(name), fixture.store, tokens, fixture.registry);
    channel = InProcessChannelBuilder.forName(name).build();

    await(fixture.log.ensureDirectConversation(DM, "svc-alice", "svc-bob"));
    dmMessages = texts(DM, 1, 120, "svc-alice", "svc-bob");
    fixture.commitAndFanOut(List.of("svc-alice", "svc-bob"), dmMessages, 60);
    for (String peer : List.of("svc-carol", "svc-dave")) {
      String id = "dm:svc-alice:" + peer;
      await(fixture.log.ensureDirectConversation(id, "svc-alice", peer));
      fixture.commitAndFanOut(List.of("svc-alice", peer), texts(id, 1, 3, peer), 3);
    }
  }

  @AfterAll
  void stop() {
    channel.shutdownNow();
    server.shutdown(Duration.ofSeconds(5));
    fixture.close();
  }

  @Test
  void should_reject_calls_without_a_valid_token() {
    HistoryGrpc.HistoryBlockingStub anonymous = HistoryGrpc.newBlockingStub(channel);
    assertError(() -> anonymous.listConversations(ListConversationsRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED, "MISSING_TOKEN");

    Tokens otherKey = new Tokens("some-other-signing-key-0123456789abcdefghij", Clock.systemUTC());
    String forged = otherKey.issue(new Principal("svc-alice", "phone"), Duration.ofMinutes(5));
    assertError(() -> withToken(forged).getMessages(GetMessagesRequest.newBuilder().setConversationId(DM).build()),
        Status.Code.UNAUTHENTICATED, "INVALID_TOKEN");
  }

  @Test
  void should_serve_members_only() {
    GetMessagesResponse page =
        as("svc-bob").getMessages(GetMessagesRequest.newBuilder().setConversationId(DM).setPageSize(20).build());
    assertThat(page.getMessagesList()).isEqualTo(dmMessages.subList(100, 120));
    assertThat(page.getHasMore()).isTrue();

    assertError(() -> as("svc-mallory").getMessages(GetMessagesRequest.newBuilder().setConversationId(DM).build()),
        Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");
    assertError(
        () -> as("svc-alice").getMessages(GetMessagesRequest.newBuilder().setConversationId("g:unknown").build()),
        Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");
    assertError(
        () -> as("svc-alice").getMessages(GetMessagesRequest.newBuilder().setConversationId("dm:svc-x:svc-y").build()),
        Status.Code.PERMISSION_DENIED, "NOT_A_MEMBER");
    // A 1:1 conversation naming the caller that has no message yet is simply empty.
    GetMessagesResponse empty =
        as("svc-alice").getMessages(GetMessagesRequest.newBuilder().setConversationId("dm:svc-alice:svc-zoe").build());
    assertThat(empty.getMessagesList()).isEmpty();
    assertThat(empty.getHasMore()).isFalse();
  }

  @Test
  void should_page_forward_and_back() {
    GetMessagesResponse after =
        as("svc-alice").getMessages(
            GetMessagesRequest.newBuilder().setConversationId(DM).setAfterSeq(100).setPageSize(50).build());
    assertThat(after.getMessagesList()).isEqualTo(dmMessages.subList(100, 120));
    assertThat(after.getHasMore()).isFalse();

    GetMessagesResponse before =
        as("svc-alice").getMessages(
            GetMessagesRequest.newBuilder().setConversationId(DM).setBeforeSeq(11).build());
    assertThat(before.getMessagesList()).isEqualTo(dmMessages.subList(0, 10));
    assertThat(before.getHasMore()).isFalse();
  }

  @Test
  void should_reject_bad_page_sizes_and_ids() {
    assertError(
        () -> as("svc-alice").getMessages(
            GetMessagesRequest.newBuilder().setConversationId(DM).setPageSize(201).build()),
        Status.Code.INVALID_ARGUMENT, "PAGE_SIZE_TOO_LARGE");
    assertError(() -> as("svc-alice").listConversations(ListConversationsRequest.newBuilder().setPageSize(500).build()),
        Status.Code.INVALID_ARGUMENT, "PAGE_SIZE_TOO_LARGE");
    assertError(() -> as("svc-alice").getMessages(GetMessagesRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT, "CONVERSATION_ID_REQUIRED");
    assertError(() -> as("svc-alice").listConversations(
            ListConversationsRequest.newBuilder().setPageToken("garbage!").build()),
        Status.Code.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN");
    assertError(() -> as("svc-alice").sync(SyncRequest.newBuilder().setMaxMessages(5000).build()),
        Status.Code.INVALID_ARGUMENT, "MAX_MESSAGES_TOO_LARGE");
  }

  @Test
  void should_list_the_callers_conversations_page_by_page() {
    List<ConversationSummary> all = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListConversationsResponse page =
          as("svc-alice").listConversations(
              ListConversationsRequest.newBuilder().setPageSize(2).setPageToken(token).build());
      all.addAll(page.getConversationsList());
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());

    assertThat(pages).isEqualTo(2);
    assertThat(all).extracting(ConversationSummary::getConversationId)
        .containsExactly(DM, "dm:svc-alice:svc-carol", "dm:svc-alice:svc-dave");
    assertThat(as("svc-bob").listConversations(ListConversationsRequest.getDefaultInstance()).getConversationsList())
        .extracting(ConversationSummary::getConversationId)
        .containsExactly(DM);
  }

  @Test
  void should_sync_the_callers_missing_messages() {
    SyncResponse response =
        as("svc-bob").sync(
            SyncRequest.newBuilder().setCursor(Cursor.newBuilder().putSeqs(DM, 115)).setMaxMessages(0).build());

    assertThat(response.getMessagesList()).isEqualTo(dmMessages.subList(115, 120));
    assertThat(response.getComplete()).isTrue();
    assertThat(response.getNextCursor().getSeqsMap()).containsEntry(DM, 120L);
  }

  private HistoryGrpc.HistoryBlockingStub as(String userId) {
    return withToken(tokens.issue(new Principal(userId, "phone"), Duration.ofMinutes(5)));
  }

  private HistoryGrpc.HistoryBlockingStub withToken(String token) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
    return HistoryGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static void assertError(ThrowingCallable call, Status.Code code, String reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(ApiErrors.reasonOf(e)).isEqualTo(reason);
        });
  }
}
