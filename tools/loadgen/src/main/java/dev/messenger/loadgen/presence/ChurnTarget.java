package dev.messenger.loadgen.presence;

import static java.util.Objects.requireNonNull;

import dev.messenger.client.TransportSecurity;
import io.grpc.ChannelCredentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The deployment a churn run drives.
 *
 * @param targets session servers ("host:port") to bootstrap from
 * @param tokenKey the deployment's token signing key
 * @param useDiscovery ask Discovery for a session server (as apps do) instead of using the target itself
 * @param clientThreads threads for the clients' event loops, and as many for their listener callbacks
 * @param tlsCaFile the CA to trust when the deployment serves TLS; empty = plaintext
 */
public record ChurnTarget(List<String> targets, String tokenKey, boolean useDiscovery, int clientThreads,
    Optional<Path> tlsCaFile) {
  public ChurnTarget {
    tlsCaFile = tlsCaFile == null ? Optional.empty() : tlsCaFile;
    targets = List.copyOf(targets);
    requireNonNull(tokenKey, "tokenKey");
    if (targets.isEmpty() || clientThreads < 1) {
      throw new IllegalArgumentException("a target and at least one client thread are required");
    }
  }

  /** A deployment reached in plaintext. */
  public ChurnTarget(List<String> targets, String tokenKey, boolean useDiscovery, int clientThreads) {
    this(targets, tokenKey, useDiscovery, clientThreads, Optional.empty());
  }

  /** How the run's channels reach the deployment. */
  public ChannelCredentials credentials() {
    return TransportSecurity.of(tlsCaFile);
  }
}
