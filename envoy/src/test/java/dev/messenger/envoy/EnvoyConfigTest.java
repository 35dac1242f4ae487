package dev.messenger.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.grpc_web.v3.GrpcWeb;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Envoy binary can run here, so envoy.yaml is checked against Envoy's own API schema (its protobuf
 * definitions): unknown fields, unknown types and wrong values are rejected, and every public service of
 * messenger.v1 must have a route.
 */
class EnvoyConfigTest {
  private static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
      .add(HttpConnectionManager.getDescriptor())
      .add(GrpcWeb.getDescriptor())
      .add(Cors.getDescriptor())
      .add(CorsPolicy.getDescriptor())
      .add(Router.getDescriptor())
      .add(HttpProtocolOptions.getDescriptor())
      .add(UpstreamTlsContext.getDescriptor())
      .add(DownstreamTlsContext.getDescriptor())
      .build();

  @Test
  void should_parse_as_an_envoy_bootstrap() throws Exception {
    Bootstrap bootstrap = parse(Files.readString(Path.of("envoy.yaml")));
    assertThat(bootstrap.getStaticResources().getClustersList())
        .extracting(c -> c.getName())
        .containsExactlyInAnyOrder("session", "history", "presence", "push");
  }

  @Test
  void should_route_every_public_service_with_grpc_web_and_cors() throws Exception {
    Bootstrap bootstrap = parse(Files.readString(Path.of("envoy.yaml")));
    HttpConnectionManager manager = bootstrap.getStaticResources().getListeners(0).getFilterChains(0)
        .getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
    assertThat(manager.getHttpFiltersList()).extracting(f -> f.getName())
        .containsExactly("envoy.filters.http.grpc_web", "envoy.filters.http.cors", "envoy.filters.http.router");
    List<Route> routes = manager.getRouteConfig().getVirtualHosts(0).getRoutesList();
    for (var service : List.of(
        dev.messenger.api.v1.SessionGrpc.SERVICE_NAME,
        dev.messenger.api.v1.DiscoveryGrpc.SERVICE_NAME,
        dev.messenger.api.v1.GroupsGrpc.SERVICE_NAME,
        dev.messenger.api.v1.HistoryGrpc.SERVICE_NAME,
        dev.messenger.api.v1.PresenceGrpc.SERVICE_NAME,
        dev.messenger.api.v1.PushDevicesGrpc.SERVICE_NAME)) {
      assertThat(routes).as(service).anySatisfy(r -> assertThat(r.getMatch().getPrefix()).isEqualTo("/" + service + "/"));
    }
    // Server-streaming calls must not be cut by a route timeout.
    assertThat(routes).filteredOn(r -> r.getMatch().getPrefix().contains("Session"))
        .allSatisfy(r -> assertThat(r.getRoute().getTimeout().getSeconds()).isZero());
  }

  @Test
  void should_route_as_envoy_yaml_does_and_reach_every_service_over_tls_checked_against_the_ca() throws Exception {
    Bootstrap plain = parse(Files.readString(Path.of("envoy.yaml")));
    Bootstrap tls = parse(Files.readString(Path.of("envoy-tls.yaml")));

    assertThat(connectionManager(tls).getRouteConfig()).isEqualTo(connectionManager(plain).getRouteConfig());
    assertThat(connectionManager(tls).getHttpFiltersList()).isEqualTo(connectionManager(plain).getHttpFiltersList());
    DownstreamTlsContext browsers = tls.getStaticResources().getListeners(0).getFilterChains(0).getTransportSocket()
        .getTypedConfig().unpack(DownstreamTlsContext.class);
    assertThat(browsers.getCommonTlsContext().getTlsCertificatesList()).hasSize(1);
    assertThat(tls.getStaticResources().getClustersList()).hasSize(plain.getStaticResources().getClustersCount())
        .allSatisfy(cluster -> {
          UpstreamTlsContext upstream = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
          var validation = upstream.getCommonTlsContext().getValidationContext();
          assertThat(validation.getTrustedCa().getFilename()).as(cluster.getName()).isNotEmpty();
          assertThat(validation.getMatchTypedSubjectAltNamesList()).as(cluster.getName()).isNotEmpty();
          assertThat(upstream.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2");
        });
    assertThat(plain.getStaticResources().getClustersList()).allSatisfy(c -> assertThat(c.hasTransportSocket()).isFalse());
  }

  @Test
  void should_reject_a_misspelled_field() {
    assertThatThrownBy(() -> parse("static_resources:\n  clusterz: []\n"))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void should_reject_an_unknown_filter_type() {
    String yaml = """
        static_resources:
          listeners:
            - name: web
              filter_chains:
                - filters:
                    - name: x
                      typed_config:
                        "@type": type.googleapis.com/envoy.extensions.filters.http.nonexistent.v3.Nothing
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(InvalidProtocolBufferException.class);
  }

  private static HttpConnectionManager connectionManager(Bootstrap bootstrap) throws IOException {
    return bootstrap.getStaticResources().getListeners(0).getFilterChains(0).getFilters(0).getTypedConfig()
        .unpack(HttpConnectionManager.class);
  }

  private static Bootstrap parse(String yaml) throws IOException {
    Map<String, Object> tree = new Yaml().load(yaml);
    String json = new com.google.gson.Gson().toJson(tree);
    Bootstrap.Builder builder = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(TYPES).merge(json, builder);
    return builder.build();
  }
}
