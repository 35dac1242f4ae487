package dev.messenger.stack;

import java.time.Duration;
import java.util.Optional;

/** The stack's {@link NodeCut}, or why it has none (no root, iptables or cgroup2), so that a request can say so. */
final class NodeCuts implements AutoCloseable {
  private final Optional<NodeCut> cut;
  private final String unavailable;

  private NodeCuts(Optional<NodeCut> cut, String unavailable) {
    this.cut = cut;
    this.unavailable = unavailable;
  }

  /** None: no part of the local infrastructure has an address of its own to cut. */
  static NodeCuts none() {
    return new NodeCuts(Optional.empty(), "no local node has an address of its own (only --cluster's nodes do, but the first store node)");
  }

  static NodeCuts open(String chain) {
    if (ProcessCgroup.cgroup2Root().isEmpty()) {
      return new NodeCuts(Optional.empty(), "cutting a node off needs a mounted cgroup2 hierarchy");
    }
    try {
      return new NodeCuts(Optional.of(NodeCut.open(chain)), "");
    } catch (IptablesException e) {
      return new NodeCuts(Optional.empty(), "cutting a node off needs iptables: " + e.getMessage());
    }
  }

  /**
   * @throws IptablesException if nodes cannot be cut here, or a rule was refused
   */
  void cutFor(long pid, String address, Duration duration) throws InterruptedException {
    cut.orElseThrow(() -> new IptablesException(unavailable)).cutFor(pid, address, duration);
  }

  @Override
  public void close() {
    cut.ifPresent(NodeCut::close);
  }
}
