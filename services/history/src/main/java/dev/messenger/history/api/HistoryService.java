package dev.messenger.history.api;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.QueryExecutionException;
import dev.messenger.api.v1.ConversationSummary;
import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.GetMessagesRequest;
import dev.messenger.api.v1.GetMessagesResponse;
import dev.messenger.api.v1.HistoryGrpc;
import dev.messenger.api.v1.ListConversationsRequest;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.SyncRequest;
import dev.messenger.api.v1.SyncResponse;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.limits.KeyedRateLimiter;
import dev.messenger.api.v1.GetReceiptSummaryRequest;
import dev.messenger.api.v1.ReceiptSummary;
import dev.messenger.history.store.HistoryReader;
import dev.messenger.history.store.ReceiptStore;
import dev.messenger.history.store.PageAnchor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public History service. The caller is always {@link Principal#current()}: no user id is taken from a
 * request. A conversation the caller is not a member of, and a group that does not exist, both answer
 * PERMISSION_DENIED (reason NOT_A_MEMBER), so a caller cannot probe which conversations exist. A 1:1 id that
 * names the caller is always readable (it is empty until its first message). Store outages answer
 * UNAVAILABLE (reason STORE_UNAVAILABLE): every call here is a read, safe to retry. Each user may make
 * {@code read-rate} calls a second on this instance, bursts of twice that; more are RESOURCE_EXHAUSTED
 * (READ_RATE_LIMITED) with a retry delay.
 */
public final class HistoryService extends HistoryGrpc.HistoryImplBase {
  private static final Logger log = LoggerFactory.getLogger(HistoryService.class);

  /** Reads a second per user on one instance: a device's sync and paging, and many devices, fit well. */
  public static final int DEFAULT_READ_RATE = 50;

  private final HistoryReader reader;
  private final ReceiptStore receipts;
  private final KeyedRateLimiter reads;

  /** {@code reads} limits each user's calls (READ_RATE_LIMITED). */
  public HistoryService(HistoryReader reader, ReceiptStore receipts, KeyedRateLimiter reads) {
    this.reader = reader;
    this.receipts = receipts;
    this.reads = reads;
  }

  @Override
  public void getReceiptSummary(GetReceiptSummaryRequest request, StreamObserver<ReceiptSummary> responses) {
    try {
      Principal caller = Principal.current();
      reads.check(caller.userId());
      String conversationId = RequestLimits.conversationId(request.getConversationId());
      CompletionStage<ReceiptSummary> summary = reader.currentMembers(conversationId)
          .thenCompose(members -> {
            if (!members.contains(caller.userId())) {
              throw ApiErrors.permissionDenied("NOT_A_MEMBER", "not a member of this conversation");
            }
            CompletionStage<Long> seq = request.getSeq() > 0
                ? java.util.concurrent.CompletableFuture.completedFuture(request.getSeq())
                : reader.lastSeqOf(caller.userId(), conversationId);
            return seq.thenCombine(receipts.memberWatermarks(conversationId), (at, marks) -> {
              int delivered = 0;
              int read = 0;
              int others = 0;
              for (String member : members) {
                if (member.equals(caller.userId())) {
                  continue;
                }
                others++;
                long[] mark = marks.getOrDefault(member, new long[2]);
                delivered += Math.max(mark[0], mark[1]) >= at ? 1 : 0;
                read += mark[1] >= at ? 1 : 0;
              }
              return ReceiptSummary.newBuilder().setConversationId(conversationId).setSeq(at).setMembers(others)
                  .setDelivered(delivered).setRead(read).build();
            });
          });
      respond(summary, responses);
    } catch (RuntimeException e) {
      fail(responses, e);
    }
  }

  @Override
  public void listConversations(
      ListConversationsRequest request, StreamObserver<ListConversationsResponse> responses) {
    try {
      Principal caller = Principal.current();
      reads.check(caller.userId());
      int pageSize = RequestLimits.pageSize(request.getPageSize());
      PageToken token = request.getPageToken().isEmpty() ? null : decode(request.getPageToken());
      respond(reader.conversations(caller.userId()).thenApply(all -> page(all, token, pageSize)), responses);
    } catch (RuntimeException e) {
      fail(responses, e);
    }
  }

  private static ListConversationsResponse page(List<ConversationSummary> all, PageToken token, int pageSize) {
    List<String> ids = all.stream().map(ConversationSummary::getConversationId).toList();
    int from = token == null ? 0 : token.resumeIndex(ids);
    int to = Math.min(all.size(), from + pageSize);
    ListConversationsResponse.Builder response =
        ListConversationsResponse.newBuilder().addAllConversations(all.subList(from, to));
    if (to < all.size()) {
      response.setNextPageToken(new PageToken(to, ids.get(to - 1)).encode());
    }
    return response.build();
  }

  @Override
  public void getMessages(GetMessagesRequest request, StreamObserver<GetMessagesResponse> responses) {
    try {
      Principal caller = Principal.current();
      reads.check(caller.userId());
      String conversationId = RequestLimits.conversationId(request.getConversationId());
      int pageSize = RequestLimits.pageSize(request.getPageSize());
      PageAnchor anchor = anchor(request);
      CompletionStage<GetMessagesResponse> response =
          reader
              .mayRead(caller.userId(), conversationId)
              .thenCompose(member -> {
                if (!member) {
                  throw ApiErrors.permissionDenied("NOT_A_MEMBER", "not a member of this conversation");
                }
                return reader.page(caller.userId(), conversationId, anchor, pageSize);
              })
              .thenApply(page -> GetMessagesResponse.newBuilder()
                  .addAllMessages(page.messages())
                  .setHasMore(page.hasMore())
                  .build());
      respond(response, responses);
    } catch (RuntimeException e) {
      fail(responses, e);
    }
  }

  private static PageAnchor anchor(GetMessagesRequest request) {
    return switch (request.getAnchorCase()) {
      case BEFORE_SEQ -> PageAnchor.before(RequestLimits.seq(request.getBeforeSeq(), "before_seq"));
      case AFTER_SEQ -> PageAnchor.after(RequestLimits.seq(request.getAfterSeq(), "after_seq"));
      case ANCHOR_NOT_SET -> PageAnchor.latest();
    };
  }

  @Override
  public void sync(SyncRequest request, StreamObserver<SyncResponse> responses) {
    try {
      Principal caller = Principal.current();
      reads.check(caller.userId());
      int maxMessages = RequestLimits.syncMessages(request.getMaxMessages());
      Cursor cursor = request.getCursor();
      for (Map.Entry<String, Long> entry : cursor.getSeqsMap().entrySet()) {
        RequestLimits.seq(entry.getValue(), "cursor");
      }
      respond(
          reader
              .since(caller.userId(), cursor, maxMessages)
              .thenApply(result -> SyncResponse.newBuilder()
                  .addAllMessages(result.messages())
                  .setNextCursor(result.nextCursor())
                  .setComplete(result.complete())
                  .build()),
          responses);
    } catch (RuntimeException e) {
      fail(responses, e);
    }
  }

  private static PageToken decode(String token) {
    try {
      return PageToken.decode(token);
    } catch (IllegalArgumentException e) {
      throw ApiErrors.invalidArgument("INVALID_PAGE_TOKEN", "page_token is not one this service issued");
    }
  }

  private static <T> void respond(CompletionStage<T> stage, StreamObserver<T> responses) {
    stage.whenComplete((value, error) -> {
      if (error != null) {
        fail(responses, error);
        return;
      }
      try {
        responses.onNext(value);
        responses.onCompleted();
      } catch (StatusRuntimeException cancelled) {
        log.debug("call ended before the response: {}", cancelled.getStatus());
      }
    });
  }

  private static void fail(StreamObserver<?> responses, Throwable error) {
    Throwable cause = unwrap(error);
    StatusRuntimeException status;
    if (cause instanceof StatusRuntimeException sre) {
      status = sre;
    } else if (cause instanceof DriverTimeoutException
        || cause instanceof AllNodesFailedException
        || cause instanceof QueryExecutionException) {
      log.warn("history store unavailable: {}", cause.toString());
      status = ApiErrors.unavailable("STORE_UNAVAILABLE", "history is temporarily unavailable; retry");
    } else {
      log.error("history call failed", cause);
      status = ApiErrors.toClientError(cause);
    }
    try {
      responses.onError(status);
    } catch (StatusRuntimeException | IllegalStateException closed) {
      log.debug("call already ended", closed);
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while (current instanceof CompletionException && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
