package dev.messenger.loadgen.presence;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The deployment a churn run drives.
 *
 * @param targets session servers ("host:port") to bootstrap from
 * @param tokenKey the deployment's token signing key
 * @param useDiscovery ask Discovery for a session server (as apps do) instead of using the target itself
 * @param clientThreads threads for the clients' event loops, and as many for their listener callbacks
 */
public record ChurnTarget(List<String> targets, String tokenKey, boolean useDiscovery, int clientThreads) {
  public ChurnTarget {
    targets = List.copyOf(targets);
    requireNonNull(tokenKey, "tokenKey");
    if (targets.isEmpty() || clientThreads < 1) {
      throw new IllegalArgumentException("a target and at least one client thread are required");
    }
  }
}
