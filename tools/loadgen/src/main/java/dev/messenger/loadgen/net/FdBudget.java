package dev.messenger.loadgen.net;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this process may open: file descriptors (one per TCP connection; the hard limit cannot be raised
 * from inside) and ephemeral ports per source address towards one server address.
 *
 * @param maxFds the process's file-descriptor limit
 * @param openFds descriptors open now
 * @param ephemeralPorts size of the local port range (net.ipv4.ip_local_port_range)
 */
public record FdBudget(long maxFds, long openFds, int ephemeralPorts) {
  /** Descriptors kept free for everything else the process opens (jars, logs, CQL, NATS, epoll). */
  public static final int RESERVE = 256;
  /** Share of the port range one source address is planned to use (TIME_WAIT, other processes). */
  public static final double PORT_SHARE = 0.9;

  public static FdBudget current() {
    long max = Long.MAX_VALUE;
    long open = 0;
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      max = unix.getMaxFileDescriptorCount();
      open = unix.getOpenFileDescriptorCount();
    }
    return new FdBudget(max, open, readPortRange());
  }

  private static int readPortRange() {
    try {
      String[] parts = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      return Integer.parseInt(parts[1]) - Integer.parseInt(parts[0]) + 1;
    } catch (IOException | RuntimeException e) {
      return 28_232;
    }
  }

  /** Connections one source address can hold towards one server address. */
  public int connectionsPerSource() {
    return (int) (ephemeralPorts * PORT_SHARE);
  }

  /** Most TCP connections this process can hold. */
  public long maxConnections() {
    return Math.max(0, maxFds - openFds - RESERVE);
  }

  /**
   * Checks that {@code streams} device streams at {@code streamsPerConnection} per connection fit;
   * otherwise throws with what to do instead.
   */
  public void check(int streams, int streamsPerConnection, int processes) {
    long connections = (streams + streamsPerConnection - 1L) / streamsPerConnection;
    if (connections <= maxConnections()) {
      return;
    }
    long neededSpc = (streams + maxConnections() - 1) / Math.max(1, maxConnections());
    long neededProcesses = (connections * processes + maxConnections() - 1) / Math.max(1, maxConnections());
    throw new IllegalStateException(String.format(java.util.Locale.ROOT,
        "cannot hold %,d device streams at %d stream(s) per connection in one process: that is %,d TCP "
            + "connections, each needs a file descriptor, and this process may open at most %,d (limit %,d, "
            + "%d kept in reserve; the hard limit cannot be raised here). Either multiplex streams over fewer "
            + "connections (--streams-per-connection=%d or more) or split the run over processes "
            + "(--processes=%d or more; the session servers then need as many descriptors too).",
        streams, streamsPerConnection, connections, maxConnections(), maxFds, RESERVE, neededSpc,
        Math.max(2, neededProcesses)));
  }
}
