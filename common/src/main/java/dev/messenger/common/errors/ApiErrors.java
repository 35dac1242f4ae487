package dev.messenger.common.errors;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.InternalStatus;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import java.util.Set;

/**
 * The one place that builds client-facing errors: a gRPC status whose details carry a google.rpc.ErrorInfo
 * with a machine-readable reason (UPPER_SNAKE_CASE) in the "messenger" domain.
 */
public final class ApiErrors {
  public static final String DOMAIN = "messenger";
  private static final Metadata.Key<com.google.rpc.Status> STATUS_DETAILS =
      Metadata.Key.of("grpc-status-details-bin",
          ProtoUtils.metadataMarshaller(com.google.rpc.Status.getDefaultInstance()));

  private ApiErrors() {}

  /**
   * Reasons of refusals that promise the servers stored nothing of the send, under any attempt of it they
   * answered: a device whose refused write was its first attempt may resend with first_attempt true again.
   */
  public static final Set<String> NOT_STORED_REASONS =
      Set.of("OVERLOADED", "RATE_LIMITED", "TOO_MANY_PENDING_SENDS", "EARLIER_SEND_NOT_STORED");

  public static StatusRuntimeException of(Status.Code code, String reason, String message) {
    return StatusProto.toStatusRuntimeException(status(code, reason, message).build());
  }

  /** A status with its ErrorInfo; further details may be added. */
  private static com.google.rpc.Status.Builder status(Status.Code code, String reason, String message) {
    return com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage(message)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).build()));
  }

  public static StatusRuntimeException invalidArgument(String reason, String message) {
    return of(Status.Code.INVALID_ARGUMENT, reason, message);
  }

  public static StatusRuntimeException unauthenticated(String reason, String message) {
    return of(Status.Code.UNAUTHENTICATED, reason, message);
  }

  public static StatusRuntimeException permissionDenied(String reason, String message) {
    return of(Status.Code.PERMISSION_DENIED, reason, message);
  }

  public static StatusRuntimeException notFound(String reason, String message) {
    return of(Status.Code.NOT_FOUND, reason, message);
  }

  public static StatusRuntimeException failedPrecondition(String reason, String message) {
    return of(Status.Code.FAILED_PRECONDITION, reason, message);
  }

  public static StatusRuntimeException resourceExhausted(String reason, String message) {
    return withoutStackTrace(status(Status.Code.RESOURCE_EXHAUSTED, reason, message).build());
  }

  /** An error the client should answer by retrying no sooner than {@code retryAfter} (google.rpc.RetryInfo). */
  public static StatusRuntimeException withRetryAfter(Status.Code code, String reason, String message,
      java.time.Duration retryAfter) {
    return withoutStackTrace(status(code, reason, message)
        .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
            .setSeconds(retryAfter.getSeconds()).setNanos(retryAfter.getNano())).build()))
        .build());
  }

  /**
   * Refusals that a busy server answers by the hundred a second (overload, rate limits, resends asked for)
   * skip the stack trace: it says nothing to the client, and filling it in was a measurable share of the
   * CPU of a refusal.
   */
  private static StatusRuntimeException withoutStackTrace(com.google.rpc.Status status) {
    Metadata trailers = new Metadata();
    trailers.put(STATUS_DETAILS, status);
    return InternalStatus.asRuntimeExceptionWithoutStacktrace(
        Status.fromCodeValue(status.getCode()).withDescription(status.getMessage()), trailers);
  }

  /** The RetryInfo delay of an error, in milliseconds; 0 when there is none. */
  public static long retryAfterMillisOf(Throwable error) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    if (status == null) {
      return 0;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
          return delay.getSeconds() * 1000 + delay.getNanos() / 1_000_000;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  public static StatusRuntimeException unavailable(String reason, String message) {
    return of(Status.Code.UNAVAILABLE, reason, message);
  }

  public static StatusRuntimeException internal() {
    return of(Status.Code.INTERNAL, "INTERNAL", "internal error");
  }

  /**
   * A send refused because an earlier send of its device in the conversation is not stored: the device
   * resends that one first, then this one (ABORTED, {@code EARLIER_SEND_NOT_STORED}, one second's hint).
   */
  public static StatusRuntimeException earlierSendNotStored(String earlierClientMessageId) {
    return withRetryAfter(Status.Code.ABORTED, "EARLIER_SEND_NOT_STORED",
        "an earlier message of this device in this conversation (client_message_id " + earlierClientMessageId
            + ") is not stored: resend it first, then this one", java.time.Duration.ofSeconds(1));
  }

  /**
   * True when a client should resend the same request later (its outcome may change): UNAVAILABLE,
   * RESOURCE_EXHAUSTED, ABORTED and DEADLINE_EXCEEDED, as the clients retry them.
   */
  public static boolean isRetryable(Throwable error) {
    return switch (toClientError(error).getStatus().getCode()) {
      case UNAVAILABLE, RESOURCE_EXHAUSTED, ABORTED, DEADLINE_EXCEEDED -> true;
      default -> false;
    };
  }

  /** The ErrorInfo reason of an error built here, or empty when there is none. */
  public static String reasonOf(Throwable error) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    if (status == null) {
      return "";
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getReason();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          return "";
        }
      }
    }
    return "";
  }

  /**
   * Maps any exception to what a client may see: our own errors pass, a store that did not answer is
   * UNAVAILABLE (the client retries with the same ids), anything else is INTERNAL.
   */
  public static StatusRuntimeException toClientError(Throwable error) {
    if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
      return toClientError(error.getCause());
    }
    if (error instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (error instanceof com.datastax.oss.driver.api.core.DriverException) {
      return unavailable("STORE_UNAVAILABLE", "the message store did not answer in time; retry");
    }
    if (error instanceof io.grpc.StatusException se) {
      return se.getStatus().asRuntimeException(se.getTrailers());
    }
    return internal();
  }
}
