package dev.messenger.common.server;

import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Production server builders: keepalive so dead peers are noticed, a bounded message size. */
public final class GrpcServers {
  /** Large enough for a 100,000-character message (up to 400,000 UTF-8 bytes) plus framing. */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 1 << 20;

  private GrpcServers() {}

  public static NettyServerBuilder netty(String host, int port) {
    return NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES);
  }
}
