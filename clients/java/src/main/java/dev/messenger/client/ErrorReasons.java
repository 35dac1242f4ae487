package dev.messenger.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;

/**
 * Reads the google.rpc.ErrorInfo reason that the servers attach to every error status, and the
 * google.rpc.RetryInfo delay that refusals under load or rate limits carry.
 */
public final class ErrorReasons {
  private ErrorReasons() {}

  /** The RetryInfo delay of an error status: retry no sooner than this; {@link Duration#ZERO} when none. */
  public static Duration retryAfterOf(Throwable error) {
    com.google.rpc.Status status = error == null ? null : StatusProto.fromThrowable(error);
    if (status == null) {
      return Duration.ZERO;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
          return Duration.ofSeconds(Math.max(0, delay.getSeconds()), Math.max(0, delay.getNanos()));
        } catch (InvalidProtocolBufferException e) {
          return Duration.ZERO;
        }
      }
    }
    return Duration.ZERO;
  }

  /** The reason (e.g. "SERVER_DRAINING"), or "" when the error carries no ErrorInfo. */
  public static String reasonOf(Throwable error) {
    if (error == null) {
      return "";
    }
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    if (status == null) {
      return "";
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getReason();
        } catch (InvalidProtocolBufferException e) {
          return "";
        }
      }
    }
    return "";
  }
}
