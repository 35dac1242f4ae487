package dev.messenger.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The local stack's control port (loopback only), for benchmarks and fault runs that need what an
 * orchestrator does: {@code GET /services} lists the service processes, {@code POST /restart?service=NAME
 * &signal=TERM|KILL} stops one with that signal, starts it again and answers once it is SERVING, and
 * {@code POST /pause?service=NAME&seconds=N} freezes one with SIGSTOP for N seconds (at most 120), then
 * SIGCONT. One request at a time, so two faults never overlap.
 */
final class StackControl implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, ServiceProcess> services;

  private StackControl(HttpServer server, List<ServiceProcess> services) {
    this.server = server;
    this.services = services.stream().collect(Collectors.toMap(s -> s.spec().name(), s -> s));
  }

  static StackControl start(int port, List<ServiceProcess> services) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    StackControl control = new StackControl(server, services);
    server.createContext("/services", control::list);
    server.createContext("/restart", control::restart);
    server.createContext("/pause", control::pause);
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
    String body = services.values().stream()
        .sorted(java.util.Comparator.comparing(s -> s.spec().name()))
        .map(s -> String.format("{\"service\":\"%s\",\"pid\":%d,\"grpc_port\":%d,\"metrics_port\":%d,"
                + "\"alive\":%b}", s.spec().name(), s.process().pid(), s.spec().grpcPort(), s.spec().metricsPort(),
            s.process().isAlive()))
        .collect(Collectors.joining(",", "[", "]"));
    answer(exchange, 200, body);
  }

  /** The service a POST names, or null once the exchange was answered with why not. */
  private ServiceProcess target(HttpExchange exchange, Map<String, String> query) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      answer(exchange, 405, "{\"error\":\"use POST\"}");
      return null;
    }
    ServiceProcess service = services.get(query.getOrDefault("service", ""));
    if (service == null) {
      answer(exchange, 404, "{\"error\":\"no such service; GET /services lists them\"}");
    }
    return service;
  }

  private void restart(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    ServiceProcess service = target(exchange, query);
    if (service == null) {
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
      ServiceProcess.Restart restart = service.restart(signal);
      System.out.println("restarted " + restart.toJson());
      answer(exchange, restart.serving() ? 200 : 500, restart.toJson());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer(exchange, 500, "{\"error\":\"interrupted\"}");
    }
  }

  private void pause(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    ServiceProcess service = target(exchange, query);
    if (service == null) {
      return;
    }
    long seconds;
    try {
      seconds = Long.parseLong(query.getOrDefault("seconds", ""));
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 1 || seconds > 120) {
      answer(exchange, 400, "{\"error\":\"seconds must be between 1 and 120\"}");
      return;
    }
    try {
      ServiceProcess.Pause pause = service.pause(java.time.Duration.ofSeconds(seconds));
      System.out.println("paused " + pause.toJson());
      answer(exchange, 200, pause.toJson());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer(exchange, 500, "{\"error\":\"interrupted\"}");
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
