package dev.messenger.stack;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The iptables arguments of one chain of the stack's own that silently drops loopback TCP packets to and from
 * chosen ports. It is jumped to from INPUT only: every loopback packet, either way, arrives through
 * {@code INPUT -i lo}, and one that is dropped there was sent, so neither side learns of it but by its own
 * timeouts, as in a partition.
 */
record IptablesRules(String chain) {
  /** iptables refuses chain names longer than this. */
  static final int MAX_CHAIN_LENGTH = 28;

  IptablesRules {
    requireUsableChain(chain);
  }

  /** Refuses a name iptables would refuse as a chain of ours. */
  static void requireUsableChain(String chain) {
    requireNonNull(chain, "chain");
    if (chain.isEmpty() || chain.length() > MAX_CHAIN_LENGTH || !chain.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("not a usable chain name: '" + chain + "'");
    }
  }

  /** Creates the chain and jumps to it from INPUT for packets that arrive on loopback. */
  List<List<String>> install() {
    return List.of(
        List.of("-w", "-N", chain),
        List.of("-w", "-I", "INPUT", "-i", "lo", "-j", chain));
  }

  /** Undoes {@link #install} with every rule in the chain; each step may fail if a part is already gone. */
  List<List<String>> remove() {
    return List.of(
        List.of("-w", "-D", "INPUT", "-i", "lo", "-j", chain),
        List.of("-w", "-F", chain),
        List.of("-w", "-X", chain));
  }

  /** Drops TCP packets to {@code port} and from it: both directions of every connection with that end. */
  List<List<String>> drop(int port) {
    return rules("-A", port);
  }

  /** Deletes what {@link #drop} added for {@code port}. */
  List<List<String>> undrop(int port) {
    return rules("-D", port);
  }

  private List<List<String>> rules(String operation, int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("not a TCP port: " + port);
    }
    return List.of(
        List.of("-w", operation, chain, "-p", "tcp", "--dport", Integer.toString(port), "-j", "DROP"),
        List.of("-w", operation, chain, "-p", "tcp", "--sport", Integer.toString(port), "-j", "DROP"));
  }
}
