package dev.messenger.common.server;

import com.google.protobuf.MessageLite;
import dev.messenger.common.errors.ApiErrors;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;

/**
 * The size limit of one request message, checked by the application rather than the transport: grpc-java
 * answers an oversized message of a unary call with RESOURCE_EXHAUSTED but resets a bidirectional stream
 * (the client sees CANCELLED and nothing else). The transport takes up to {@link GrpcServers#TRANSPORT_MAX_BYTES};
 * here a call whose client does not stream is refused with RESOURCE_EXHAUSTED (MESSAGE_TOO_LARGE) and the
 * limit, while client streams are passed on: their handlers refuse the one frame and keep the stream.
 */
public final class MessageSizeLimit implements ServerInterceptor {
  private final int maxBytes;

  public MessageSizeLimit(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> listener = next.startCall(call, headers);
    if (call.getMethodDescriptor().getType().clientSendsOneMessage()) {
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
        private boolean refused;

        @Override
        public void onMessage(Q message) {
          if (message instanceof MessageLite m && m.getSerializedSize() > maxBytes) {
            refused = true;
            StatusRuntimeException error = tooLarge(maxBytes);
            try {
              call.close(error.getStatus(), error.getTrailers() == null ? new Metadata() : error.getTrailers());
            } catch (IllegalStateException alreadyClosed) {
              // refused before its message arrived (no token): nothing more to say
            }
            return;
          }
          super.onMessage(message);
        }

        @Override
        public void onHalfClose() {
          if (!refused) {
            super.onHalfClose();
          }
        }
      };
    }
    return listener;
  }

  /** RESOURCE_EXHAUSTED (MESSAGE_TOO_LARGE) naming the limit. */
  public static StatusRuntimeException tooLarge(int maxBytes) {
    return ApiErrors.resourceExhausted("MESSAGE_TOO_LARGE",
        "a request message may have at most " + maxBytes + " bytes");
  }
}
