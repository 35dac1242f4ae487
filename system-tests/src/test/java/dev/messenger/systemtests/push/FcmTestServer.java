package dev.messenger.systemtests.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local server speaking what the Firebase Admin SDK uses of Google: the OAuth 2 token endpoint of a
 * service account and FCM HTTP v1 {@code POST /v1/projects/<project>/messages:send}, with scripted error
 * answers per device token (FCM's JSON error format, Retry-After). {@link #transport()} is the SDK's
 * HttpTransport option: it sends every request the SDK makes to this server instead of Google's hosts.
 */
final class FcmTestServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A scripted answer: HTTP status, FCM error code (e.g. UNREGISTERED), Retry-After seconds (or null), and
   * something to do before answering (or null).
   */
  record Answer(int status, String fcmStatus, Integer retryAfterSeconds, Runnable before) {
    Answer(int status, String fcmStatus, Integer retryAfterSeconds) {
      this(status, fcmStatus, retryAfterSeconds, null);
    }
  }

  /** One message FCM accepted. */
  record Received(String project, String token, JsonNode message, long atMs) {
    String title() {
      return message.path("notification").path("title").asText();
    }

    String body() {
      return message.path("notification").path("body").asText(null);
    }

    String collapseKey() {
      return message.path("android").path("collapse_key").asText();
    }

    String tag() {
      return message.path("android").path("notification").path("tag").asText();
    }

    int notificationCount() {
      return message.path("android").path("notification").path("notification_count").asInt(-1);
    }
  }

  final List<Received> accepted = new CopyOnWriteArrayList<>();
  final List<Long> attemptsAtMs = new CopyOnWriteArrayList<>();
  final List<String> tokenRequests = new CopyOnWriteArrayList<>();
  private final Map<String, Queue<Answer>> script = new ConcurrentHashMap<>();
  private final HttpServer server;

  FcmTestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::token);
    server.createContext("/v1/projects/", this::send);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  String tokenUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** The SDK's transport, with every request sent here (same path and query) instead of Google's hosts. */
  NetHttpTransport transport() {
    int port = server.getAddress().getPort();
    return new NetHttpTransport.Builder()
        .setConnectionFactory(url -> (HttpURLConnection) new URL("http", "127.0.0.1", port, url.getFile())
            .openConnection())
        .build();
  }

  void answer(String token, Answer... answers) {
    Queue<Answer> queue = script.computeIfAbsent(token, t -> new ArrayDeque<>());
    synchronized (queue) {
      queue.addAll(List.of(answers));
    }
  }

  List<Received> to(String token) {
    return accepted.stream().filter(r -> r.token().equals(token)).toList();
  }

  private void token(HttpExchange exchange) throws IOException {
    String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    tokenRequests.add(form);
    if (!form.contains("grant_type=urn") || !form.contains("assertion=")) {
      reply(exchange, 400, "{\"error\":\"invalid_grant\"}", null);
      return;
    }
    reply(exchange, 200, "{\"access_token\":\"test-access-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}",
        null);
  }

  private void send(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith("/messages:send")) {
      reply(exchange, 404, error(404, "NOT_FOUND", null), null);
      return;
    }
    if (!"Bearer test-access-token".equals(authorization)) {
      reply(exchange, 401, error(401, "UNAUTHENTICATED", null), null);
      return;
    }
    String project = path.substring("/v1/projects/".length(), path.indexOf("/messages:send"));
    JsonNode message = JSON.readTree(exchange.getRequestBody()).path("message");
    String token = message.path("token").asText();
    attemptsAtMs.add(System.currentTimeMillis());
    Queue<Answer> queue = script.get(token);
    Answer answer = null;
    if (queue != null) {
      synchronized (queue) {
        answer = queue.poll();
      }
    }
    if (answer != null) {
      if (answer.before() != null) {
        answer.before().run();
      }
      reply(exchange, answer.status(), error(answer.status(), statusName(answer.status()), answer.fcmStatus()),
          answer.retryAfterSeconds());
      return;
    }
    accepted.add(new Received(project, token, message, System.currentTimeMillis()));
    reply(exchange, 200, "{\"name\":\"projects/" + project + "/messages/" + accepted.size() + "\"}", null);
  }

  private static String statusName(int status) {
    return switch (status) {
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      case 400 -> "INVALID_ARGUMENT";
      default -> "INTERNAL";
    };
  }

  private static String error(int code, String status, String fcmErrorCode) {
    String details = fcmErrorCode == null ? "" : ",\"details\":[{\"@type\":"
        + "\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"" + fcmErrorCode + "\"}]";
    return "{\"error\":{\"code\":" + code + ",\"message\":\"test\",\"status\":\"" + status + "\"" + details + "}}";
  }

  private static void reply(HttpExchange exchange, int status, String body, Integer retryAfter) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    if (retryAfter != null) {
      exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfter));
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
