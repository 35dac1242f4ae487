package dev.messenger.stack;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts local TCP ports off, as a network partition would: an iptables chain of its own drops every loopback
 * packet to and from a cut port, so open connections stay open and new ones hang, and neither end learns of it
 * but by its own timeouts; healing deletes the rules and TCP retransmits what was lost. Needs root and
 * iptables. {@link #open} removes a chain of the same name left by a run that died; {@link #close} removes the
 * chain.
 */
public final class PortCut implements AutoCloseable {
  private final Iptables iptables;
  private final IptablesRules rules;

  private PortCut(Iptables iptables, IptablesRules rules) {
    this.iptables = iptables;
    this.rules = rules;
  }

  /**
   * A fresh chain named {@code chain} (at most 28 letters, digits, '-' or '_') in this machine's iptables.
   *
   * @throws IptablesException if iptables is missing or may not be changed by this user, with why
   */
  public static PortCut open(String chain) {
    return open(IptablesCommand.find(), chain);
  }

  static PortCut open(Iptables iptables, String chain) {
    PortCut cut = new PortCut(requireNonNull(iptables, "iptables"), new IptablesRules(chain));
    cut.removeChain();
    cut.rules.install().forEach(iptables::run);
    return cut;
  }

  /** From now on drops every packet to and from {@code ports}, until {@link #heal}. */
  public synchronized void cut(List<Integer> ports) {
    ports.forEach(port -> rules.drop(port).forEach(iptables::run));
  }

  /** Deletes the rules {@link #cut} added for {@code ports}; tries them all before it reports a failure. */
  public synchronized void heal(List<Integer> ports) {
    List<String> failures = new ArrayList<>();
    for (int port : ports) {
      for (List<String> rule : rules.undrop(port)) {
        try {
          iptables.run(rule);
        } catch (IptablesException e) {
          failures.add(e.getMessage());
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new IptablesException(String.join("; ", failures));
    }
  }

  /** Cuts {@code ports} for {@code duration}, then heals them, even if interrupted. */
  public void cutFor(List<Integer> ports, Duration duration) throws InterruptedException {
    cut(ports);
    try {
      Thread.sleep(duration.toMillis());
    } finally {
      heal(ports);
    }
  }

  public String chain() {
    return rules.chain();
  }

  private void removeChain() {
    iptables.runEach(rules.remove());
  }

  /** Removes the chain with its rules and the jump to it. */
  @Override
  public synchronized void close() {
    removeChain();
  }
}
