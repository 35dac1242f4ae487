package dev.messenger.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.messenger.launcher.Infrastructure;
import dev.messenger.launcher.InfrastructureException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The local stack's control port (loopback only), for benchmarks and fault runs that need what an
 * orchestrator does: {@code GET /services} lists the service processes and the local infrastructure
 * ({@code etcd}, {@code nats}, {@code cassandra}; in a cluster {@code nats-1} and so on, and {@code nats} for all
 * members at once), {@code POST /restart?service=NAME&signal=TERM|KILL} stops one with that signal, starts it again and answers once it is SERVING (for a part of the infrastructure: once
 * it answers and every service is SERVING again), and {@code POST /pause?service=NAME&seconds=N} freezes one
 * with SIGSTOP for N seconds (at most 120), then SIGCONT; {@code POST /cut?service=NAME&from=etcd&seconds=N}
 * drops every packet between one service and etcd for N seconds (a partition made with iptables, {@link EtcdCuts}:
 * it keeps NATS and the store; 503 with the reason where iptables cannot be used), and
 * {@code POST /cut?service=cassandra-2&from=network&seconds=N} cuts a store node, NATS server or etcd member with
 * an address of its own off from clients and peers alike ({@link NodeCut}). One request at a time, so
 * two faults never overlap.
 */
final class StackControl implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, ServiceProcess> services;
  private final Infrastructure infrastructure;
  private final EtcdCuts etcdCuts;
  private final NodeCuts nodeCuts;

  private StackControl(HttpServer server, List<ServiceProcess> services, Infrastructure infrastructure,
      EtcdCuts etcdCuts, NodeCuts nodeCuts) {
    this.server = server;
    this.services = services.stream().collect(Collectors.toMap(s -> s.spec().name(), s -> s));
    this.infrastructure = infrastructure;
    this.etcdCuts = etcdCuts;
    this.nodeCuts = nodeCuts;
  }

  static StackControl start(int port, List<ServiceProcess> services, Infrastructure infrastructure,
      EtcdCuts etcdCuts, NodeCuts nodeCuts) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    StackControl control = new StackControl(server, services, infrastructure, etcdCuts, nodeCuts);
    server.createContext("/services", control::list);
    server.createContext("/restart", control::restart);
    server.createContext("/pause", control::pause);
    server.createContext("/cut", control::cut);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "stack-control");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return control;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void list(HttpExchange exchange) throws IOException {
    Stream<String> serviceRows = services.values().stream()
        .sorted(Comparator.comparing(s -> s.spec().name()))
        .map(s -> String.format("{\"service\":\"%s\",\"pid\":%d,\"grpc_port\":%d,\"metrics_port\":%d,"
                + "\"alive\":%b}", s.spec().name(), s.process().pid(), s.spec().grpcPort(), s.spec().metricsPort(),
            s.process().isAlive()));
    Stream<String> infrastructureRows = infrastructure.localParts().entrySet().stream()
        .map(part -> String.format("{\"service\":\"%s\",\"pid\":%d,\"infrastructure\":true,\"alive\":%b}",
            part.getKey(), part.getValue(), infrastructure.isAlive(part.getKey())));
    Stream<String> clusterRows = infrastructure.clusters().entrySet().stream()
        .map(cluster -> String.format("{\"service\":\"%s\",\"infrastructure\":true,\"members\":%s,\"alive\":%b}",
            cluster.getKey(), cluster.getValue().stream().map(m -> "\"" + m + "\"")
                .collect(Collectors.joining(",", "[", "]")),
            cluster.getValue().stream().allMatch(infrastructure::isAlive)));
    answer(exchange, 200, Stream.of(serviceRows, infrastructureRows, clusterRows).flatMap(s -> s)
        .collect(Collectors.joining(",", "[", "]")));
  }

  /** The name a POST gives, or null once the exchange was answered with why not. */
  private String target(HttpExchange exchange, Map<String, String> query) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      answer(exchange, 405, "{\"error\":\"use POST\"}");
      return null;
    }
    String name = query.getOrDefault("service", "");
    if (!services.containsKey(name) && !infrastructure.localParts().containsKey(name)
        && !infrastructure.clusters().containsKey(name)) {
      answer(exchange, 404, "{\"error\":\"no such service; GET /services lists them\"}");
      return null;
    }
    return name;
  }

  private void restart(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String name = target(exchange, query);
    if (name == null) {
      return;
    }
    ServiceProcess.StopSignal signal;
    try {
      signal = ServiceProcess.StopSignal.valueOf(query.getOrDefault("signal", "TERM"));
    } catch (IllegalArgumentException e) {
      answer(exchange, 400, "{\"error\":\"signal must be TERM or KILL\"}");
      return;
    }
    try {
      if (services.containsKey(name)) {
        ServiceProcess.Restart restart = services.get(name).restart(signal);
        System.out.println("restarted " + restart.toJson());
        answer(exchange, restart.serving() ? 200 : 500, restart.toJson());
      } else {
        InfrastructureRestart restart = InfrastructureRestart.of(infrastructure, name, signal, services.values());
        System.out.println("restarted " + restart.toJson());
        answer(exchange, restart.serving() ? 200 : 500, restart.toJson());
      }
    } catch (InfrastructureException e) {
      answer(exchange, 500, "{\"error\":" + jsonString(e.getMessage()) + "}");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer(exchange, 500, "{\"error\":\"interrupted\"}");
    }
  }

  private void pause(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String name = target(exchange, query);
    if (name == null) {
      return;
    }
    long seconds = seconds(query);
    if (seconds < 1 || seconds > 120) {
      answer(exchange, 400, "{\"error\":\"seconds must be between 1 and 120\"}");
      return;
    }
    if (infrastructure.clusters().containsKey(name)) {
      answer(exchange, 400, "{\"error\":\"pause one member of a cluster, not all of them\"}");
      return;
    }
    try {
      long pid = services.containsKey(name)
          ? services.get(name).process().pid()
          : infrastructure.localParts().get(name);
      ProcessPause pause = ProcessPause.of(name, pid, Duration.ofSeconds(seconds));
      System.out.println("paused " + pause.toJson());
      answer(exchange, 200, pause.toJson());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer(exchange, 500, "{\"error\":\"interrupted\"}");
    }
  }

  private void cut(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String name = target(exchange, query);
    if (name == null) {
      return;
    }
    String from = query.getOrDefault("from", "");
    boolean etcd = "etcd".equals(from) && etcdCuts.hasPathFor(name);
    boolean network = "network".equals(from) && infrastructure.localParts().containsKey(name)
        && infrastructure.ownAddress(name).isPresent();
    if (!etcd && !network) {
      answer(exchange, 400, "{\"error\":\"a service's path to the local etcd can be cut (from=etcd), or a store "
          + "node, NATS server or etcd member with an address of its own off the whole network (from=network: "
          + "cassandra-2, cassandra-3, nats-1 to nats-3 or etcd-1 to etcd-3 of --cluster)\"}");
      return;
    }
    long seconds = seconds(query);
    if (seconds < 1 || seconds > 120) {
      answer(exchange, 400, "{\"error\":\"seconds must be between 1 and 120\"}");
      return;
    }
    try {
      if (etcd) {
        etcdCuts.cutFor(name, Duration.ofSeconds(seconds));
      } else {
        nodeCuts.cutFor(infrastructure.localParts().get(name), infrastructure.ownAddress(name).orElseThrow(),
            Duration.ofSeconds(seconds));
      }
      String json = String.format("{\"service\":\"%s\",\"cut_from\":\"%s\",\"cut_ms\":%d}", name, from,
          seconds * 1000);
      System.out.println("cut " + json);
      answer(exchange, 200, json);
    } catch (IptablesException e) {
      answer(exchange, 503, "{\"error\":" + jsonString(e.getMessage()) + "}");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer(exchange, 500, "{\"error\":\"interrupted\"}");
    }
  }

  private static long seconds(Map<String, String> query) {
    try {
      return Long.parseLong(query.getOrDefault("seconds", ""));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }

  static String jsonString(String text) {
    return "\"" + String.valueOf(text).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
