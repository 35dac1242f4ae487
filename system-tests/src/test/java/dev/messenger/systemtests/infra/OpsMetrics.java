package dev.messenger.systemtests.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard and the Prometheus alert rules in ops/ ask only for metrics the services serve: on a
 * stack run as ./messenger up starts it, after a little traffic, every metric name in every PromQL
 * expression of both files is found on some service's /metrics (a histogram's _bucket, _count and _sum by its
 * family). The alert rules are also checked for the structure Prometheus loads, and by promtool where it is
 * installed (Debian package prometheus). {@link StackIT} runs it on its stack.
 */
final class OpsMetrics {
  /** Series Prometheus makes itself for every target, not served by the target. */
  private static final Set<String> SCRAPE_SERIES = Set.of("up", "scrape_duration_seconds");

  private OpsMetrics() {}

  /**
   * Checks the stack at {@code base} (./messenger up's ports) once it has committed some messages and a
   * stream has ended.
   */
  static void assertServedByTheStack(Path root, int base) throws Exception {
    Path alertsFile = root.resolve("ops/prometheus/alerts.yml");
    Map<String, String> expressions = new TreeMap<>();
    expressions.putAll(alertExpressions(alertsFile));
    expressions.putAll(dashboardExpressions(root.resolve("ops/grafana/messenger.json")));
    assertThat(expressions).as("expressions in the dashboard and the alert rules").hasSizeGreaterThan(40);
    promtoolAccepts(alertsFile);

    // A stream that ended is timed once its server hears the cancel.
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> (scrape(base + metricsOffset("session")) + scrape(base + metricsOffset("session") + 1))
            .contains("messenger_grpc_server_stream_duration_seconds_count"));

    Map<String, String> scraped = new HashMap<>();
    for (String service : List.of("session", "router", "history", "presence", "push")) {
      scraped.put(service, scrape(base + metricsOffset(service)));
    }
    Set<String> served = new TreeSet<>();
    scraped.values().forEach(text -> served.addAll(families(text)));
    served.addAll(families(scrape(base + metricsOffset("session") + 1)));

    List<String> missing = new ArrayList<>();
    expressions.forEach((where, expression) -> PromQlNames.of(expression).stream()
        .filter(name -> !SCRAPE_SERIES.contains(name) && !isServed(name, served))
        .forEach(name -> missing.add(name + "  (" + where + ")")));
    assertThat(missing).as("metric names used by ops/ that no service serves").isEmpty();

    assertThat(sample(scraped.get("router"), "messenger_router_messages_committed_total"))
        .as("commits, counted once, by the router").isGreaterThanOrEqualTo(5);
    for (String service : List.of("session", "router", "presence", "push")) {
      assertThat(families(scraped.get(service))).as(service)
          .contains("messenger_nats_reconnects_total", "messenger_nats_dropped_messages_total");
    }
  }

  private static int metricsOffset(String service) {
    return switch (service) {
      case "session" -> 2100;
      case "router" -> 2200;
      case "history" -> 2300;
      case "presence" -> 2400;
      case "push" -> 2500;
      default -> throw new IllegalArgumentException(service);
    };
  }

  /** Every alert's expression, by group and alert name; fails on anything Prometheus would not load. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> alertExpressions(Path file) throws Exception {
    Map<String, Object> document = new Yaml().load(Files.readString(file));
    List<Map<String, Object>> groups = (List<Map<String, Object>>) document.get("groups");
    assertThat(groups).as("alert groups").isNotEmpty();
    Map<String, String> expressions = new TreeMap<>();
    Set<String> alertNames = new TreeSet<>();
    for (Map<String, Object> group : groups) {
      assertThat(group).containsKeys("name", "rules");
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        assertThat(rule).as("rule in %s", group.get("name")).containsKeys("alert", "expr", "labels", "annotations");
        assertThat(rule.keySet()).isSubsetOf("alert", "expr", "for", "keep_firing_for", "labels", "annotations");
        assertThat((Map<String, Object>) rule.get("labels")).containsKey("severity");
        assertThat((Map<String, Object>) rule.get("annotations")).containsKey("summary");
        assertThat(alertNames.add((String) rule.get("alert"))).as("unique alert %s", rule.get("alert")).isTrue();
        expressions.put("alert " + rule.get("alert"), rule.get("expr").toString());
      }
    }
    return expressions;
  }

  /** Every panel target's expression, by panel title; the dashboard is JSON, which YAML reads too. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> dashboardExpressions(Path file) throws Exception {
    Map<String, Object> dashboard = new Yaml().load(Files.readString(file));
    assertThat(dashboard).containsKeys("title", "uid", "panels");
    Map<String, String> expressions = new TreeMap<>();
    for (Map<String, Object> panel : (List<Map<String, Object>>) dashboard.get("panels")) {
      for (Map<String, Object> target : (List<Map<String, Object>>) panel.getOrDefault("targets", List.of())) {
        expressions.put("panel " + panel.get("title") + " " + target.get("refId"), (String) target.get("expr"));
      }
    }
    return expressions;
  }

  private static void promtoolAccepts(Path alerts) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      return; // the structure check above stands in for it
    }
    Process check = new ProcessBuilder(promtool.toString(), "check", "rules", alerts.toString())
        .redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor()).as("promtool check rules:\n%s", output).isZero();
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("metrics on port %d", port).isEqualTo(200);
    return response.body();
  }

  /** Names of the families (from # TYPE lines) and of the samples in a scrape. */
  private static Set<String> families(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        names.add(parts[2] + " " + parts[3]);
        names.add(parts[2]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  /**
   * True when a family of that name is served, or the name is a counter's _total, a histogram's _bucket,
   * _count or _sum, or a summary's _count or _sum (a labelled family shows no sample before its first use).
   */
  private static boolean isServed(String name, Set<String> served) {
    if (served.contains(name)) {
      return true;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum")) {
      if (name.endsWith(suffix)) {
        String family = name.substring(0, name.length() - suffix.length());
        if (served.contains(family + " histogram") || (!suffix.equals("_bucket") && served.contains(family + " summary"))) {
          return true;
        }
      }
    }
    return name.endsWith("_total") && served.contains(name.substring(0, name.length() - "_total".length()) + " counter");
  }

  private static double sample(String scrape, String name) {
    return scrape.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
        .sum();
  }
}
