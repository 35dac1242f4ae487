package dev.messenger.common.errors;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A call that two threads may write to: grpc-java's own is not thread-safe, yet the error mapping closes a
 * call on gRPC's thread (a frame that does not parse) while the handler may be writing on one of its own (a
 * stream's catch-up). Interleaved, the two corrupt the call's framer and it is reset without a status. Here
 * headers, messages and the close take turns, and what a handler writes after the call was closed is dropped:
 * the client has its status already.
 */
final class SerializedServerCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
  private boolean closed;

  SerializedServerCall(ServerCall<Q, R> call) {
    super(call);
  }

  @Override
  public synchronized void sendHeaders(Metadata headers) {
    if (!closed) {
      super.sendHeaders(headers);
    }
  }

  @Override
  public synchronized void sendMessage(R message) {
    if (!closed) {
      super.sendMessage(message);
    }
  }

  /** Closes the call once; a later close, from either side, changes nothing. */
  @Override
  public synchronized void close(Status status, Metadata trailers) {
    if (closed) {
      return;
    }
    closed = true;
    super.close(status, trailers);
  }
}
