package dev.messenger.webgateway;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Forwards every method of a public service, as opaque bytes, to an upstream: the request's messages, the
 * caller's authorization header and cancellation one way; the responses, the status and its trailers
 * (ErrorInfo details included) the other. Nothing is parsed, so the gateway never changes a message.
 */
final class ForwardingCalls {
  /** Request headers that reach the backend; everything else is transport detail of the web hop. */
  private static final Set<String> FORWARDED_HEADERS = Set.of("authorization", "x-request-id");

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private ForwardingCalls() {}

  /** A service definition with {@code descriptor}'s methods, each forwarded to {@code upstream}. */
  static ServerServiceDefinition forward(ServiceDescriptor descriptor, Upstream upstream) {
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.getName());
    for (MethodDescriptor<?, ?> method : descriptor.getMethods()) {
      MethodDescriptor<byte[], byte[]> bytes = method.toBuilder(BYTES, BYTES).build();
      builder.addMethod(ServerMethodDefinition.create(bytes, handler(bytes, upstream)));
    }
    return builder.build();
  }

  private static ServerCallHandler<byte[], byte[]> handler(MethodDescriptor<byte[], byte[]> method,
      Upstream upstream) {
    return (serverCall, headers) -> {
      ClientCall<byte[], byte[]> clientCall = upstream.pick().newCall(method, CallOptions.DEFAULT);
      Relay relay = new Relay(serverCall, clientCall);
      clientCall.start(relay.fromUpstream(), forwarded(headers));
      serverCall.request(1);
      clientCall.request(1);
      return relay.fromCaller();
    };
  }

  private static Metadata forwarded(Metadata incoming) {
    Metadata outgoing = new Metadata();
    for (String name : FORWARDED_HEADERS) {
      Metadata.Key<String> key = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
      Iterable<String> values = incoming.getAll(key);
      if (values != null) {
        values.forEach(value -> outgoing.put(key, value));
      }
    }
    return outgoing;
  }

  /**
   * One forwarded call. Flow control end to end: the next message is asked of one side only once the other
   * side is ready to take it, so the gateway buffers at most one message per direction.
   */
  private static final class Relay {
    private final ServerCall<byte[], byte[]> serverCall;
    private final ClientCall<byte[], byte[]> clientCall;
    private final Object lock = new Object();
    // Guarded by lock.
    private boolean requestWanted;
    private boolean responseWanted;
    private boolean closed;

    Relay(ServerCall<byte[], byte[]> serverCall, ClientCall<byte[], byte[]> clientCall) {
      this.serverCall = serverCall;
      this.clientCall = clientCall;
    }

    ServerCall.Listener<byte[]> fromCaller() {
      return new ServerCall.Listener<>() {
        @Override
        public void onMessage(byte[] message) {
          clientCall.sendMessage(message);
          synchronized (lock) {
            if (clientCall.isReady()) {
              serverCall.request(1);
            } else {
              requestWanted = true;
            }
          }
        }

        @Override
        public void onHalfClose() {
          clientCall.halfClose();
        }

        @Override
        public void onCancel() {
          clientCall.cancel("the web client went away", null);
        }

        @Override
        public void onReady() {
          synchronized (lock) {
            if (responseWanted && !closed) {
              responseWanted = false;
              clientCall.request(1);
            }
          }
        }
      };
    }

    ClientCall.Listener<byte[]> fromUpstream() {
      return new ClientCall.Listener<>() {
        @Override
        public void onHeaders(Metadata headers) {
          synchronized (lock) {
            if (!closed) {
              serverCall.sendHeaders(new Metadata());
            }
          }
        }

        @Override
        public void onMessage(byte[] message) {
          synchronized (lock) {
            if (closed) {
              return;
            }
            serverCall.sendMessage(message);
            if (serverCall.isReady()) {
              clientCall.request(1);
            } else {
              responseWanted = true;
            }
          }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          synchronized (lock) {
            if (closed) {
              return;
            }
            closed = true;
            try {
              serverCall.close(status, trailers);
            } catch (IllegalStateException alreadyCancelled) {
              // the web client is gone; nothing left to tell it
            }
          }
        }

        @Override
        public void onReady() {
          synchronized (lock) {
            if (requestWanted) {
              requestWanted = false;
              serverCall.request(1);
            }
          }
        }
      };
    }
  }
}
