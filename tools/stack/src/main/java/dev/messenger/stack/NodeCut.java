package dev.messenger.stack;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Cuts a whole node of the local infrastructure off, as a partition of its machine would: nothing reaches its
 * address and nothing it sends leaves, to clients or peers, while the process runs on; healing lets TCP
 * retransmit what was lost. Only a node with a loopback address of its own can be cut (a local cluster's
 * store nodes but the first). Needs root, iptables and cgroup2; {@link #open} removes a chain of the same name
 * left by a run that died, {@link #close} removes the chain.
 */
final class NodeCut implements AutoCloseable {
  private final Iptables iptables;
  private final NodeCutRules rules;

  private NodeCut(Iptables iptables, NodeCutRules rules) {
    this.iptables = iptables;
    this.rules = rules;
  }

  /**
   * A fresh chain named {@code chain}.
   *
   * @throws IptablesException if iptables is missing or may not be changed by this user, with why
   */
  static NodeCut open(String chain) {
    return open(IptablesCommand.find(), chain);
  }

  static NodeCut open(Iptables iptables, String chain) {
    NodeCut cut = new NodeCut(requireNonNull(iptables, "iptables"), new NodeCutRules(chain));
    cut.removeChain();
    cut.rules.install().forEach(iptables::run);
    return cut;
  }

  /**
   * Cuts process {@code pid}, which listens on {@code address}, off for {@code duration}, then heals; every rule
   * added is removed and the process goes back to its group whatever fails on the way.
   */
  void cutFor(long pid, String address, Duration duration) throws InterruptedException {
    ProcessCgroup group = ProcessCgroup.create(rules.chain() + "-" + pid);
    try {
      String previous = group.enter(pid);
      try {
        List<List<String>> drops = rules.drop(address, group.path());
        List<List<String>> undrops = rules.undrop(address, group.path());
        int added = 0;
        try {
          for (List<String> rule : drops) {
            iptables.run(rule);
            added++;
          }
          NodeConnections.endDialed(pid, address);
          Thread.sleep(duration.toMillis());
        } finally {
          iptables.runAll(undrops.subList(0, added));
        }
      } finally {
        group.leave(pid, previous);
      }
    } finally {
      group.remove();
    }
  }

  private void removeChain() {
    iptables.runEach(rules.remove());
  }

  @Override
  public synchronized void close() {
    removeChain();
  }
}
