package dev.messenger.session;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.StreamError;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.Subjects;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.internal.v1.SubmitReply;
import dev.messenger.internal.v1.SubmitRequest;
import io.grpc.Status;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Hands validated sends to the router owning the conversation's shard (NATS request/reply on its submit
 * subject). While no router answers (none owns the shard yet, or the owner died and its lease has not
 * expired) it retries with the same client message id, which the router deduplicates, until a deadline.
 */
final class RouterClient {
  private final Connection nats;
  private final Subjects subjects;
  private final int shards;
  private final Duration attemptTimeout;
  private final Duration deadline;
  private final ScheduledExecutorService scheduler;
  private final Consumer<String> retried;

  RouterClient(Connection nats, Subjects subjects, int shards, Duration attemptTimeout, Duration deadline,
      ScheduledExecutorService scheduler) {
    this(nats, subjects, shards, attemptTimeout, deadline, scheduler, cause -> {});
  }

  /** {@code retried} hears the cause of every attempt repeated: no_reply or unavailable. */
  RouterClient(Connection nats, Subjects subjects, int shards, Duration attemptTimeout, Duration deadline,
      ScheduledExecutorService scheduler, Consumer<String> retried) {
    this.nats = nats;
    this.subjects = subjects;
    this.shards = shards;
    this.attemptTimeout = attemptTimeout;
    this.deadline = deadline;
    this.scheduler = scheduler;
    this.retried = retried;
  }

  CompletableFuture<SendAck> submit(SubmitRequest request) {
    return call(request).thenApply(SubmitReply::getAck);
  }

  /** Like {@link #submit}, with the router's whole answer (a group command's carries the group). */
  CompletableFuture<SubmitReply> call(SubmitRequest request) {
    CompletableFuture<SubmitReply> result = new CompletableFuture<>();
    attempt(request, System.nanoTime() + deadline.toNanos(), 50, false, result);
    return result;
  }

  private void attempt(SubmitRequest request, long deadlineNanos, long backoffMs, boolean retried,
      CompletableFuture<SubmitReply> result) {
    String subject = subjects.submit(ConversationIds.shardOf(request.getConversationId(), shards));
    CompletableFuture<io.nats.client.Message> requested;
    try {
      byte[] payload = request.getFirstAttempt()
          ? request.toBuilder().setFirstAttemptSentAtMs(System.currentTimeMillis()).build().toByteArray()
          : request.toByteArray();
      long busLimit = nats.getMaxPayload(); // -1 while disconnected
      if (busLimit > 0 && payload.length > busLimit) {
        // jnats would refuse every attempt: an answer now, not "no router" at the deadline.
        result.completeExceptionally(ApiErrors.resourceExhausted("MESSAGE_TOO_LARGE",
            "the request is too large to pass to a router: with what the server adds it has " + payload.length
                + " bytes, the bus takes at most " + busLimit));
        return;
      }
      requested = nats.requestWithTimeout(subject, payload, attemptTimeout);
    } catch (RuntimeException e) {
      // jnats throws when its outgoing queue is full (e.g. reconnecting): an attempt that failed, not a
      // send that may stay unanswered.
      requested = CompletableFuture.failedFuture(e);
    }
    requested
        .whenComplete((reply, error) -> {
          if (error == null) {
            try {
              complete(SubmitReply.parseFrom(reply.getData()), result, request, deadlineNanos, backoffMs, retried);
            } catch (InvalidProtocolBufferException e) {
              result.completeExceptionally(ApiErrors.internal());
            }
            return;
          }
          retryOrFail("no_reply", request, deadlineNanos, backoffMs, result);
        });
  }

  private void complete(SubmitReply reply, CompletableFuture<SubmitReply> result, SubmitRequest request,
      long deadlineNanos, long backoffMs, boolean retried) {
    if (reply.hasAck()) {
      result.complete(reply);
      return;
    }
    StreamError error = reply.getError();
    if (Status.Code.valueOf(error.getCode()) == Status.Code.UNAVAILABLE) {
      retryOrFail("unavailable", request, deadlineNanos, backoffMs, result);
      return;
    }
    Status.Code code = Status.Code.valueOf(error.getCode());
    if (retried && ApiErrors.NOT_STORED_REASONS.contains(error.getReason())) {
      // This attempt stored nothing, but an earlier one went unanswered and may have: the device must not
      // take the refusal as the promise those reasons make.
      result.completeExceptionally(ApiErrors.withRetryAfter(Status.Code.UNAVAILABLE, "ROUTER_UNAVAILABLE",
          "the router refused a retry (" + error.getReason() + ") after an attempt that went unanswered; "
              + "resend it with the same client_message_id",
          java.time.Duration.ofMillis(Math.max(error.getRetryAfterMs(), 100))));
      return;
    }
    result.completeExceptionally(error.getRetryAfterMs() > 0
        ? ApiErrors.withRetryAfter(code, error.getReason(), error.getMessage(),
            java.time.Duration.ofMillis(error.getRetryAfterMs()))
        : ApiErrors.of(code, error.getReason(), error.getMessage()));
  }

  private void retryOrFail(String cause, SubmitRequest request, long deadlineNanos, long backoffMs,
      CompletableFuture<SubmitReply> result) {
    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) > deadlineNanos) {
      result.completeExceptionally(new CompletionException(ApiErrors.unavailable("ROUTER_UNAVAILABLE",
          "no router could store the message in time; resend it with the same client_message_id")));
      return;
    }
    retried.accept(cause);
    // The earlier attempt may have been stored: from now on the router must look the client id up.
    SubmitRequest again = request.getFirstAttempt() ? request.toBuilder().setFirstAttempt(false).build() : request;
    scheduler.schedule(() -> attempt(again, deadlineNanos, Math.min(backoffMs * 2, 1000), true, result),
        backoffMs, TimeUnit.MILLISECONDS);
  }

}
