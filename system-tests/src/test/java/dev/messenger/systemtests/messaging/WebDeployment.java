package dev.messenger.systemtests.messaging;

import dev.messenger.common.server.GrpcServers;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.history.HistoryServer;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.presence.PresenceConfig;
import dev.messenger.presence.PresenceNode;
import dev.messenger.presence.store.PresenceStoreConfig;
import dev.messenger.session.SessionNode;
import dev.messenger.webgateway.WebGateway;
import dev.messenger.webgateway.WebGatewayConfig;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * What a browser talks to, on the shared real infrastructure: session servers, a router, the history and
 * presence services, and the web gateway in front of them serving clients/web/dist.
 */
final class WebDeployment implements AutoCloseable {
  final TestCluster cluster;
  final List<SessionNode> sessions = new ArrayList<>();
  private final ServiceServer history;
  private final PresenceNode presence;
  private final Connection presenceNats;
  private final WebGatewayConfig gatewayConfig;
  private WebGateway gateway;
  private final List<WebGateway> extraGateways = new ArrayList<>();

  private WebDeployment(TestCluster cluster, int sessionServers, Duration presenceGrace) {
    this.cluster = cluster;
    for (int i = 1; i <= sessionServers; i++) {
      sessions.add(cluster.startSession("web-session-" + i, UnaryOperator.identity()));
    }
    cluster.startRouter("web-router");
    history = HistoryServer.start(GrpcServers.netty("127.0.0.1", 0), cluster.history, cluster.tokens,
        new PrometheusRegistry());
    presenceNats = cluster.infra.connectNats("web-presence");
    presence = PresenceNode.start(PresenceConfig.defaults(TestCluster.TOKEN_KEY)
            .withEphemeralPorts()
            .withSubjects(cluster.subjects)
            .withStore(PresenceStoreConfig.inKeyspace(cluster.historyConfig.keyspace()))
            .withTimings(presenceGrace, Duration.ofMillis(200), Duration.ofSeconds(1)),
        cluster.infra.connectEtcd(), presenceNats, cluster.cql, new PrometheusRegistry());
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ownedShards() == 64
        && presence.ownedPartitions().size() == 64);
    Path root = Path.of(System.getProperty("messenger.repo.root", "..")).toAbsolutePath().normalize();
    gatewayConfig = new WebGatewayConfig("127.0.0.1", 0, root.resolve("clients/web/dist"),
        sessions.stream().map(SessionNode::address).toList(), "127.0.0.1:" + history.port(),
        "127.0.0.1:" + presence.port(), "127.0.0.1:1", dev.messenger.common.auth.TokenKeys.of(TestCluster.TOKEN_KEY));
    gateway = WebGateway.start(gatewayConfig);
  }

  /** {@code sessionServers} session servers behind one gateway; presence offline after {@code grace}. */
  static WebDeployment start(InfrastructureEndpoints endpoints, int sessionServers, Duration presenceGrace) {
    return new WebDeployment(TestCluster.start(endpoints), sessionServers, presenceGrace);
  }

  String url() {
    return "http://127.0.0.1:" + gateway.port() + "/";
  }

  int gatewayPort() {
    return gateway.port();
  }

  /** Cuts every browser off: the gateway stops listening and its connections close. */
  void stopGateway() {
    gateway.close();
  }

  /** The gateway again, on the same port. */
  void startGateway(int port) {
    gateway = WebGateway.start(gatewayConfig.withPort(port));
  }

  /** Another gateway in front of the same services, for traffic that must not share the first one's turns. */
  int startExtraGateway() {
    WebGateway extra = WebGateway.start(gatewayConfig);
    extraGateways.add(extra);
    return extra.port();
  }

  String token(String user, String device) {
    return cluster.token(user, device);
  }

  @Override
  public void close() throws Exception {
    gateway.close();
    extraGateways.forEach(WebGateway::close);
    presence.close();
    presenceNats.close();
    history.close();
    cluster.close();
  }
}
