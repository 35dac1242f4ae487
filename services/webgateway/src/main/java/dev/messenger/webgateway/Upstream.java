package dev.messenger.webgateway;

import static java.util.Objects.requireNonNull;

import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC channels to the instances of one backend service. Each call goes to the next instance
 * in turn, so two calls of one device may land on different instances, as they may behind Envoy.
 */
final class Upstream implements AutoCloseable {
  private final String name;
  private final List<ManagedChannel> channels;
  private final AtomicInteger next = new AtomicInteger();

  private Upstream(String name, List<ManagedChannel> channels) {
    this.name = name;
    this.channels = channels;
  }

  /** Channels to {@code targets} (host:port each; at least one) with these credentials. */
  static Upstream of(String name, List<String> targets, ChannelCredentials credentials) {
    requireNonNull(name, "name");
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no address for upstream " + name);
    }
    return new Upstream(name, targets.stream()
        .map(target -> (ManagedChannel) NettyChannelBuilder.forTarget(target, credentials).build())
        .toList());
  }

  String name() {
    return name;
  }

  Channel pick() {
    return channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel channel : channels) {
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
