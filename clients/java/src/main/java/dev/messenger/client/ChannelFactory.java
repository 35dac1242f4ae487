package dev.messenger.client;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

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
    return target -> Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
  }
}
