package dev.messenger.loadgen.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The local addresses connections are made from. One source address can only have as many connections to
 * one server address as there are ephemeral ports (~28,000 here); on loopback every 127.x.y.z address
 * works, so "auto" adds 127.0.0.2, 127.0.0.3, ... as the connection count needs.
 */
public final class SourceAddresses {
  private SourceAddresses() {}

  /**
   * Parses "auto", "none", or a comma list where an item may be a range "127.0.0.2-127.0.0.9".
   * "auto" picks enough loopback addresses for {@code connections} when the target is on loopback,
   * starting after the addresses of lower shards; "none" (or auto with few connections) lets the system
   * choose.
   */
  public static List<InetAddress> resolve(String spec, String targetHost, long connections, FdBudget budget,
      int shardIndex) {
    String value = spec == null ? "auto" : spec.trim();
    if (value.equals("none") || value.isEmpty()) {
      return List.of();
    }
    if (!value.equals("auto")) {
      return parseList(value);
    }
    int perSource = Math.max(1, budget.connectionsPerSource());
    int needed = (int) ((connections + perSource - 1) / perSource);
    if (needed <= 1 && shardIndex == 0) {
      return List.of();
    }
    if (!isLoopback(targetHost)) {
      if (needed <= 1) {
        return List.of();
      }
      throw new IllegalStateException(String.format(java.util.Locale.ROOT,
          "%,d connections to %s need %d source addresses (%,d ephemeral ports each); give them with "
              + "--source-addresses=a,b,c or use --streams-per-connection", connections, targetHost, needed,
          perSource));
    }
    List<InetAddress> out = new ArrayList<>();
    int first = 2 + shardIndex * Math.max(1, needed);
    for (int i = 0; i < Math.max(1, needed); i++) {
      out.add(loopback(first + i));
    }
    return out;
  }

  private static List<InetAddress> parseList(String value) {
    List<InetAddress> out = new ArrayList<>();
    for (String item : value.split(",")) {
      String trimmed = item.trim();
      int dash = trimmed.indexOf('-');
      if (dash > 0) {
        byte[] from = parse(trimmed.substring(0, dash)).getAddress();
        byte[] to = parse(trimmed.substring(dash + 1)).getAddress();
        if (from.length != 4 || to.length != 4 || from[0] != to[0] || from[1] != to[1] || from[2] != to[2]) {
          throw new IllegalArgumentException("an address range must stay within one /24: " + trimmed);
        }
        for (int last = from[3] & 0xff; last <= (to[3] & 0xff); last++) {
          out.add(parse((from[0] & 0xff) + "." + (from[1] & 0xff) + "." + (from[2] & 0xff) + "." + last));
        }
      } else if (!trimmed.isEmpty()) {
        out.add(parse(trimmed));
      }
    }
    return out;
  }

  private static InetAddress loopback(int n) {
    return parse("127.0." + (n / 256) + "." + (n % 256));
  }

  private static InetAddress parse(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + text, e);
    }
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
