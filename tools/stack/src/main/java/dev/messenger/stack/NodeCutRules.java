package dev.messenger.stack;

import java.util.List;

/**
 * The iptables arguments of the stack's chain that cuts whole nodes off: a node listening on a loopback address
 * of its own (a local cluster's store node on 127.0.0.2) gets nothing sent to that address, and sends nothing at
 * all, matched by the cgroup its process was moved into. Addresses alone would not do: a node dials its peers
 * from 127.0.0.1 like every other local process, so what it sends is told apart by its cgroup.
 */
record NodeCutRules(String chain) {
  NodeCutRules {
    IptablesRules.requireUsableChain(chain);
  }

  /** Creates the chain and jumps to it from INPUT and OUTPUT for loopback packets. */
  List<List<String>> install() {
    return List.of(
        List.of("-w", "-N", chain),
        List.of("-w", "-I", "INPUT", "-i", "lo", "-j", chain),
        List.of("-w", "-I", "OUTPUT", "-o", "lo", "-j", chain));
  }

  /** Undoes {@link #install} with every rule in the chain; each step may fail if a part is already gone. */
  List<List<String>> remove() {
    return List.of(
        List.of("-w", "-D", "INPUT", "-i", "lo", "-j", chain),
        List.of("-w", "-D", "OUTPUT", "-o", "lo", "-j", chain),
        List.of("-w", "-F", chain),
        List.of("-w", "-X", chain));
  }

  /**
   * Drops packets to {@code address} and every packet sent by a process of {@code cgroupPath} (relative to the
   * cgroup2 root).
   */
  List<List<String>> drop(String address, String cgroupPath) {
    return rules("-A", address, cgroupPath);
  }

  /** Deletes what {@link #drop} added. */
  List<List<String>> undrop(String address, String cgroupPath) {
    return rules("-D", address, cgroupPath);
  }

  private List<List<String>> rules(String operation, String address, String cgroupPath) {
    if (!address.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || address.equals("127.0.0.1")) {
      throw new IllegalArgumentException("a node cut needs a loopback address of the node's own, not " + address);
    }
    if (cgroupPath.isEmpty() || cgroupPath.startsWith("/") || cgroupPath.contains("..")) {
      throw new IllegalArgumentException("not a cgroup path below the root: '" + cgroupPath + "'");
    }
    return List.of(
        List.of("-w", operation, chain, "-d", address, "-j", "DROP"),
        List.of("-w", operation, chain, "-m", "cgroup", "--path", cgroupPath, "-j", "DROP"));
  }
}
