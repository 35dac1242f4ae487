package dev.messenger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NatsServerIT {
  @TempDir Path temp;

  @Test
  void should_run_the_local_nats_server_on_one_go_thread() throws Exception {
    Path binary = Executables.require("nats-server", "nats-server", EnvironmentVariables.NATS_URL);
    int[] ports = FreePorts.pick(2);
    NatsServer server = NatsServer.start(binary, temp.resolve("nats"), temp.resolve("nats.log"), ports[0], ports[1],
        64L << 20, 256L << 20, Optional.empty(), Optional.empty(), Duration.ofSeconds(30));
    try {
      String varz = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[1] + "/varz")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      JsonNode reported = new ObjectMapper().readTree(varz);

      assertThat(reported.path("cores").asInt()).as("this machine's cores").isGreaterThanOrEqualTo(1);
      assertThat(reported.path("gomaxprocs").asInt()).isEqualTo(1);
    } finally {
      server.process().close();
    }
  }
}
