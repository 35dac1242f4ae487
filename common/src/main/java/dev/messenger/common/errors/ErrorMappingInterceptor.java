package dev.messenger.common.errors;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a call whose handler threw, with the mapped status instead of grpc-java's bare UNKNOWN, and logs
 * unexpected exceptions once. Nothing internal reaches the client. Installed outside
 * {@link dev.messenger.common.server.LateRequestParsing}, it also sees requests that fail to parse (invalid
 * UTF-8, fields of the wrong type) and answers them with INVALID_ARGUMENT (MALFORMED_REQUEST). The handler is
 * then told the call was cancelled, so it releases what it holds for the call. It may be writing to the call
 * meanwhile, so everything inside gets a {@link SerializedServerCall}.
 */
public final class ErrorMappingInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(ErrorMappingInterceptor.class);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> original, Metadata headers, ServerCallHandler<Q, R> next) {
    ServerCall<Q, R> call = new SerializedServerCall<>(original);
    ServerCall.Listener<Q> delegate;
    try {
      delegate = next.startCall(call, headers);
    } catch (RuntimeException e) {
      close(call, e);
      return new ServerCall.Listener<>() {};
    }
    return new SimpleForwardingServerCallListener<>(delegate) {
      /** Set once this interceptor closed the call: the handler hears nothing more (it was told it ended). */
      private volatile boolean closedHere;

      @Override
      public void onMessage(Q message) {
        guard(() -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        guard(super::onHalfClose);
      }

      @Override
      public void onReady() {
        guard(super::onReady);
      }

      @Override
      public void onCancel() {
        if (!closedHere) {
          super.onCancel();
        }
      }

      @Override
      public void onComplete() {
        if (!closedHere) {
          super.onComplete();
        }
      }

      private void guard(Runnable action) {
        if (closedHere) {
          return;
        }
        try {
          action.run();
        } catch (RuntimeException e) {
          closedHere = true;
          close(call, e);
          try {
            super.onCancel();
          } catch (RuntimeException ignored) {
            log.debug("handler failed while cancelling", ignored);
          }
        }
      }
    };
  }

  private static void close(ServerCall<?, ?> call, RuntimeException e) {
    StatusRuntimeException mapped;
    if (isParseFailure(e)) {
      mapped = ApiErrors.invalidArgument("MALFORMED_REQUEST",
          "the request could not be parsed: " + e.getCause().getMessage());
    } else if (e instanceof StatusRuntimeException) {
      mapped = (StatusRuntimeException) e;
    } else if (e instanceof com.datastax.oss.driver.api.core.DriverException) {
      log.atWarn().addKeyValue("method", call.getMethodDescriptor().getFullMethodName())
          .log("the store did not answer: {}", e.toString());
      mapped = ApiErrors.toClientError(e);
    } else {
      String method = call.getMethodDescriptor().getFullMethodName();
      mapped = InternalErrors.report(log, "unhandled exception in " + method, e, "method", method);
    }
    try {
      Metadata trailers = mapped.getTrailers() == null ? new Metadata() : mapped.getTrailers();
      call.close(mapped.getStatus(), trailers);
    } catch (IllegalStateException alreadyClosed) {
      log.debug("call already closed", alreadyClosed);
    }
  }

  private static boolean isParseFailure(RuntimeException e) {
    return e instanceof StatusRuntimeException
        && e.getCause() instanceof com.google.protobuf.InvalidProtocolBufferException;
  }
}
