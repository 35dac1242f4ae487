package dev.messenger.loadgen;

import dev.messenger.loadgen.run.WindowProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the services' Prometheus metrics at the start and at the end of the measurement window and
 * reports, per endpoint, the mean of every duration histogram ({@code *_seconds}) and the increase of every
 * counter ({@code *_total}) over the window: e.g. how long the router's CQL commit, fan-out and client-id
 * lookups took on average while the load ran.
 */
final class MetricsScraper implements WindowProbe {
  private final List<URI> endpoints;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final Map<URI, Map<String, Double>> atStart = new HashMap<>();

  MetricsScraper(List<URI> endpoints) {
    this.endpoints = List.copyOf(endpoints);
  }

  @Override
  public void windowStarts() {
    endpoints.forEach(uri -> atStart.put(uri, scrape(uri)));
  }

  @Override
  public Map<String, Object> windowEnds() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (URI uri : endpoints) {
      out.put(uri.toString(), difference(atStart.getOrDefault(uri, Map.of()), scrape(uri)));
    }
    return out;
  }

  /** Means of histograms (ms, with counts) and increases of counters between two scrapes. */
  static Map<String, Object> difference(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Object> durations = new TreeMap<>();
    Map<String, Object> counters = new TreeMap<>();
    after.forEach((key, value) -> {
      double delta = value - before.getOrDefault(key, 0.0);
      String name = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
      String labels = key.contains("{") ? key.substring(key.indexOf('{')) : "";
      if (name.endsWith("_seconds_count") && delta > 0) {
        String base = name.substring(0, name.length() - "_count".length());
        double sum = after.getOrDefault(base + "_sum" + labels, 0.0) - before.getOrDefault(base + "_sum" + labels, 0.0);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("count", Math.round(delta));
        h.put("mean_ms", Math.round(sum / delta * 1e6) / 1000.0);
        durations.put(base + labels, h);
      } else if (name.endsWith("_total") && delta > 0) {
        counters.put(key, delta == Math.rint(delta) ? (Object) Math.round(delta) : (Object) (Math.round(delta * 100) / 100.0));
      }
    });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("durations", durations);
    out.put("counters", counters);
    return out;
  }

  /** Samples of the Prometheus text format: "name{labels}" to value; empty when unreachable. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      if (space <= 0) {
        continue;
      }
      try {
        samples.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1).trim()));
      } catch (NumberFormatException e) {
        // a timestamped or malformed sample: not needed here
      }
    }
    return samples;
  }

  private Map<String, Double> scrape(URI uri) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? parse(response.body()) : Map.of();
    } catch (IOException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }
}
