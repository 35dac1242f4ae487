package dev.messenger.loadgen.net;

import io.grpc.ManagedChannel;

/** One HTTP/2 connection (a gRPC channel to one address) and how many device streams lease it. */
final class SharedConnection {
  private final ManagedChannel channel;
  private final String source;
  private int leases;

  SharedConnection(ManagedChannel channel, String source) {
    this.channel = channel;
    this.source = source;
  }

  ManagedChannel channel() {
    return channel;
  }

  String source() {
    return source;
  }

  synchronized boolean tryLease(int max) {
    if (leases >= max) {
      return false;
    }
    leases++;
    return true;
  }

  synchronized void release() {
    leases--;
  }

  synchronized int leases() {
    return leases;
  }
}
