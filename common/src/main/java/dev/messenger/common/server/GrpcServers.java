package dev.messenger.common.server;

import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Production server builders: keepalive so dead peers are noticed, a bounded message size. */
public final class GrpcServers {
  private static final Logger log = LoggerFactory.getLogger(GrpcServers.class);
  /** Large enough for a 100,000-character message (up to 400,000 UTF-8 bytes) plus framing. */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 1 << 20;
  /**
   * What the transport takes before it gives up on a call. Above the message limit, so that the message limit
   * is enforced by {@link MessageSizeLimit} (every {@link ServiceServer}) and the handlers, with a precise answer, on streams too.
   */
  public static final int TRANSPORT_MAX_BYTES = 4 << 20;

  private GrpcServers() {}

  /** A plaintext server. */
  public static NettyServerBuilder netty(String host, int port) {
    return netty(host, port, Optional.empty());
  }

  /** A server that speaks TLS only when {@code tls} is present, plaintext otherwise. */
  public static NettyServerBuilder netty(String host, int port, Optional<ServerTls> tls) {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port));
    tls.ifPresent(t -> {
      builder.sslContext(t.sslContext());
      log.info("gRPC on {}:{} serves TLS only ({})", host, port, t);
    });
    return builder
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .maxInboundMessageSize(TRANSPORT_MAX_BYTES);
  }
}
