package dev.messenger.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.protobuf.StatusProto;

/** Reads the google.rpc.ErrorInfo reason that the servers attach to every error status. */
public final class ErrorReasons {
  private ErrorReasons() {}

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
