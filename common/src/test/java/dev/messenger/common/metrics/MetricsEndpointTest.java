package dev.messenger.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MetricsEndpointTest {
  @Test
  void should_bind_loopback_by_default_even_when_grpc_listens_everywhere() {
    Settings settings = Settings.forService(ServiceName.SESSION, new String[] {"--grpc-host=0.0.0.0"}, Map.of());

    assertThat(MetricsEndpoint.host(settings)).isEqualTo("127.0.0.1");
  }

  @Test
  void should_bind_the_configured_metrics_host() {
    Settings fromFlag = Settings.forService(ServiceName.ROUTER,
        new String[] {"--grpc-host=0.0.0.0", "--metrics-host=10.1.2.3"}, Map.of());
    Settings fromEnvironment = Settings.forService(ServiceName.PUSH, new String[0],
        Map.of("MESSENGER_METRICS_HOST", "192.168.7.7", "MESSENGER_GRPC_HOST", "0.0.0.0"));

    assertThat(MetricsEndpoint.host(fromFlag)).isEqualTo("10.1.2.3");
    assertThat(MetricsEndpoint.host(fromEnvironment)).isEqualTo("192.168.7.7");
  }

  @Test
  void should_serve_metrics_on_the_host_it_is_given() throws Exception {
    try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, new PrometheusRegistry())) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("jvm_");
    }
  }
}
