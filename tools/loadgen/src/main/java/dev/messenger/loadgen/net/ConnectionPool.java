package dev.messenger.loadgen.net;

import dev.messenger.client.ChannelFactory;
import dev.messenger.client.TransportSecurity;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The channel factory of every simulated device: up to {@code streamsPerConnection} device streams share
 * one HTTP/2 connection (gRPC streams are HTTP/2 streams), and connections are spread round robin over
 * the given source addresses, so that one process can hold more streams than it has file descriptors and
 * more connections than one address has ephemeral ports. With one stream per connection every device has
 * its own TCP connection, exactly like an app.
 */
public final class ConnectionPool implements ChannelFactory, AutoCloseable {
  private final int streamsPerConnection;
  private final List<InetAddress> sources;
  private final ChannelCredentials credentials;
  private final Map<String, List<SharedConnection>> byTarget = new HashMap<>();
  private int created;
  private boolean closed;

  /** Plaintext connections. */
  public ConnectionPool(int streamsPerConnection, List<InetAddress> sources) {
    this(streamsPerConnection, sources, TransportSecurity.plaintext());
  }

  public ConnectionPool(int streamsPerConnection, List<InetAddress> sources, ChannelCredentials credentials) {
    if (streamsPerConnection < 1) {
      throw new IllegalArgumentException("streams per connection must be at least 1");
    }
    this.streamsPerConnection = streamsPerConnection;
    this.sources = List.copyOf(sources);
    this.credentials = java.util.Objects.requireNonNull(credentials, "credentials");
  }

  @Override
  public synchronized ManagedChannel create(String target) {
    if (closed) {
      throw new IllegalStateException("the connection pool is closed");
    }
    List<SharedConnection> connections = byTarget.computeIfAbsent(key(target), k -> new ArrayList<>());
    for (int i = connections.size() - 1; i >= 0; i--) {
      if (connections.get(i).tryLease(streamsPerConnection)) {
        return new LeasedChannel(connections.get(i));
      }
    }
    SharedConnection connection = open(target);
    connections.add(connection);
    connection.tryLease(streamsPerConnection);
    return new LeasedChannel(connection);
  }

  private SharedConnection open(String target) {
    InetAddress source = sources.isEmpty() ? null : sources.get(created % sources.size());
    created++;
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target, credentials).directExecutor();
    if (source != null) {
      builder.localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
        @Override
        public SocketAddress createSocketAddress(SocketAddress remote, io.grpc.Attributes attrs) {
          return new InetSocketAddress(source, 0);
        }
      });
    }
    return new SharedConnection(builder.build(), source == null ? "" : source.getHostAddress());
  }

  /** "host:port" with the host resolved, so "localhost:7100" and "127.0.0.1:7100" share connections. */
  static String key(String target) {
    int colon = target.lastIndexOf(':');
    if (colon <= 0) {
      return target;
    }
    try {
      return InetAddress.getByName(target.substring(0, colon)).getHostAddress() + target.substring(colon);
    } catch (java.net.UnknownHostException e) {
      return target;
    }
  }

  /** TCP connections (HTTP/2 channels) made so far. */
  public synchronized int connections() {
    return created;
  }

  /** Connections per source address ("" = the system's choice), for the report. */
  public synchronized Map<String, Integer> connectionsBySource() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    byTarget.values().forEach(list -> list.forEach(c -> out.merge(c.source().isEmpty() ? "auto" : c.source(), 1,
        Integer::sum)));
    return out;
  }

  @Override
  public void close() {
    List<SharedConnection> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      byTarget.values().forEach(all::addAll);
      byTarget.clear();
    }
    all.forEach(c -> c.channel().shutdown());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (SharedConnection c : all) {
      try {
        if (!c.channel().awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          c.channel().shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.channel().shutdownNow();
      }
    }
  }
}
