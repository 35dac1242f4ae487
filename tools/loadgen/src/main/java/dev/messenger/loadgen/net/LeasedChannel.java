package dev.messenger.loadgen.net;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's view of a shared connection. The client library shuts down the channels it no longer
 * needs; for a view, that only returns the lease: the connection stays up for the other devices on it.
 */
final class LeasedChannel extends ManagedChannel {
  private final SharedConnection connection;
  private final AtomicBoolean released = new AtomicBoolean();

  LeasedChannel(SharedConnection connection) {
    this.connection = connection;
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return connection.channel().newCall(method, options);
  }

  @Override
  public String authority() {
    return connection.channel().authority();
  }

  @Override
  public ManagedChannel shutdown() {
    if (released.compareAndSet(false, true)) {
      connection.release();
    }
    return this;
  }

  @Override
  public ManagedChannel shutdownNow() {
    return shutdown();
  }

  @Override
  public boolean isShutdown() {
    return released.get();
  }

  @Override
  public boolean isTerminated() {
    return released.get();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return released.get();
  }
}
