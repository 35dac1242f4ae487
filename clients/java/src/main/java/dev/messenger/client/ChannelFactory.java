package dev.messenger.client;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.nio.file.Path;

/**
 * Makes the channel for a target ("host:port" from the bootstrap list or from discovery). Pluggable so that
 * tests use in-process channels, TLS deployments add credentials, and the load generator binds channels to
 * different local addresses. The client shuts down every channel it made when it no longer needs it.
 */
@FunctionalInterface
public interface ChannelFactory {
  ManagedChannel create(String target);

  /** Plaintext channels, for development and loopback deployments. */
  static ChannelFactory plaintext() {
    return with(TransportSecurity.plaintext());
  }

  /** TLS channels trusting the CA certificate in {@code caPem} (a deployment's own CA). */
  static ChannelFactory tls(Path caPem) {
    return with(TransportSecurity.trusting(caPem));
  }

  /** TLS channels trusting the system's root certificates. */
  static ChannelFactory tls() {
    return with(TransportSecurity.systemRoots());
  }

  /** Channels with these credentials (see {@link TransportSecurity}). */
  static ChannelFactory with(ChannelCredentials credentials) {
    return target -> Grpc.newChannelBuilder(target, credentials).build();
  }
}
