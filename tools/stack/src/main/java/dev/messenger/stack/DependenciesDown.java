package dev.messenger.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Collectors;

/** What a service that is not SERVING says is down, read from its {@code messenger_dependency_up} gauges. */
final class DependenciesDown {
  private static final String GAUGE = "messenger_dependency_up{dependency=\"";

  private DependenciesDown() {}

  /** "down: nats, cql", "every dependency up", or why the metrics could not be read. */
  static String of(ServiceSpec spec) {
    try {
      String metrics = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + spec.metricsPort() + "/metrics"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
      String down = metrics.lines().filter(line -> line.startsWith(GAUGE)
          && (line.endsWith(" 0.0") || line.endsWith(" 0")))
          .map(line -> line.substring(GAUGE.length(), line.indexOf('"', GAUGE.length())))
          .collect(Collectors.joining(", "));
      return down.isEmpty() ? "every dependency up" : "down: " + down;
    } catch (java.io.IOException e) {
      return "metrics unreadable: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
