package dev.messenger.common.errors;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;

/**
 * An unexpected failure, logged once with a request id that the client also gets in its INTERNAL status, so
 * that a user's report ("internal error, request id 3f9c…") leads an operator to the one log line and its
 * stack trace.
 */
public final class InternalErrors {
  private InternalErrors() {}

  /** Logs {@code cause} at ERROR with {@code request_id} (and the given key-value pairs); returns the status. */
  public static StatusRuntimeException report(Logger log, String what, Throwable cause, String... keyValues) {
    String requestId = newRequestId();
    var line = log.atError().setCause(cause).addKeyValue("request_id", requestId);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      line = line.addKeyValue(keyValues[i], keyValues[i + 1]);
    }
    line.log(what);
    return ApiErrors.of(Status.Code.INTERNAL, "INTERNAL", "internal error (request id " + requestId + ")");
  }

  private static String newRequestId() {
    byte[] bytes = new byte[8];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
