package dev.messenger.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TCP connections a process dialed from an address other than its own, and a way to end them ({@code ss
 * -K}). A socket keeps the cgroup of the process that created it, so those a node opened before it was moved
 * into its cut group would go on carrying what it sends; ended, they are dialed again from inside the group,
 * where every packet is dropped.
 */
final class NodeConnections {
  private static final Pattern LINE = Pattern.compile(
      "^\\S+\\s+\\S+\\s+(\\S+):(\\d+)\\s+(\\S+):(\\d+)\\s+.*\\bpid=(\\d+),");
  private static final long TIMEOUT_SECONDS = 10;

  /** One connection by its two ports. */
  record Connection(int localPort, int peerPort) {}

  private NodeConnections() {}

  /** From {@code ss -tnpH state established} output: {@code pid}'s connections whose local address is not {@code own}. */
  static List<Connection> dialedBy(long pid, String own, String ssOutput) {
    List<Connection> dialed = new ArrayList<>();
    for (String line : ssOutput.split("\n")) {
      Matcher m = LINE.matcher(line.trim());
      if (m.find() && Long.parseLong(m.group(5)) == pid && !m.group(1).replace("[::ffff:", "").replace("]", "")
          .equals(own)) {
        dialed.add(new Connection(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(4))));
      }
    }
    return dialed;
  }

  /**
   * Ends every connection {@code pid} dialed from an address not its own.
   *
   * @throws IptablesException if {@code ss} cannot list or end them
   */
  static int endDialed(long pid, String own) {
    List<Connection> dialed = dialedBy(pid, own, ss(List.of("-tnpH", "state", "established")));
    for (Connection c : dialed) {
      ss(List.of("-K", "-tn", "sport", "=", ":" + c.localPort(), "and", "dport", "=", ":" + c.peerPort()));
    }
    return dialed.size();
  }

  private static String ss(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add("ss");
    command.addAll(arguments);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IptablesException(String.join(" ", command) + " failed: " + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new IptablesException("cannot run ss (iproute2): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IptablesException("interrupted while running ss");
    }
  }
}
