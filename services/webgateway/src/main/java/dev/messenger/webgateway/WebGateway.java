package dev.messenger.webgateway;

import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.healthcheck.HealthCheckService;
import dev.messenger.api.v1.DiscoveryGrpc;
import dev.messenger.api.v1.HistoryGrpc;
import dev.messenger.api.v1.PresenceGrpc;
import dev.messenger.api.v1.PushDevicesGrpc;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.client.TransportSecurity;
import dev.messenger.common.auth.Tokens;
import io.grpc.ChannelCredentials;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One origin for web browsers: the web app's files, and grpc-web (binary and text) for every public
 * service, translated by Armeria and forwarded to the grpc-java services. Main and tests both build it here.
 */
public final class WebGateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebGateway.class);

  private final Server server;
  private final List<Upstream> upstreams;

  private WebGateway(Server server, List<Upstream> upstreams) {
    this.server = server;
    this.upstreams = upstreams;
  }

  /** Starts listening; returns once the port is bound. */
  public static WebGateway start(WebGatewayConfig config) {
    ChannelCredentials credentials = TransportSecurity.of(config.upstreamCa());
    Upstream session = Upstream.of("session", config.sessionTargets(), credentials);
    Upstream history = Upstream.of("history", List.of(config.historyTarget()), credentials);
    Upstream presence = Upstream.of("presence", List.of(config.presenceTarget()), credentials);
    Upstream push = Upstream.of("push", List.of(config.pushTarget()), credentials);
    GrpcService grpcWeb = GrpcService.builder()
        .supportedSerializationFormats(GrpcSerializationFormats.PROTO, GrpcSerializationFormats.PROTO_WEB,
            GrpcSerializationFormats.PROTO_WEB_TEXT)
        .addService(ForwardingCalls.forward(SessionGrpc.getServiceDescriptor(), session))
        .addService(ForwardingCalls.forward(DiscoveryGrpc.getServiceDescriptor(), session))
        .addService(ForwardingCalls.forward(dev.messenger.api.v1.GroupsGrpc.getServiceDescriptor(), session))
        .addService(ForwardingCalls.forward(HistoryGrpc.getServiceDescriptor(), history))
        .addService(ForwardingCalls.forward(PresenceGrpc.getServiceDescriptor(), presence))
        .addService(ForwardingCalls.forward(PushDevicesGrpc.getServiceDescriptor(), push))
        .build();
    ServerBuilder builder = Server.builder()
        .http(new InetSocketAddress(config.host(), config.port()))
        // Its own registry: nothing global, and several gateways may share a JVM (tests).
        .meterRegistry(new SimpleMeterRegistry())
        // Subscribe and WatchPresence streams last as long as the page is open.
        .requestTimeout(Duration.ZERO)
        .service(grpcWeb)
        .service("/healthz", HealthCheckService.of())
        .serviceUnder("/", FileService.builder(config.webRoot()).build());
    if (config.tokenKey().isDevelopmentKey()) {
      builder.route().post("/dev/token").build(new DevTokenService(new Tokens(config.tokenKey(), Clock.systemUTC())));
      log.warn("development token key in use: POST /dev/token mints tokens for anyone");
    }
    Server server = builder.build();
    server.start().join();
    return new WebGateway(server, List.of(session, history, presence, push));
  }

  public int port() {
    return server.activeLocalPort();
  }

  /** Stops listening (open streams end; browsers reconnect), then closes the upstream channels. */
  @Override
  public void close() {
    server.stop().join();
    upstreams.forEach(Upstream::close);
  }
}
