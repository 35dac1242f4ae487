package dev.messenger.systemtests.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local server speaking what the Firebase Admin SDK uses of Google: the OAuth 2 token endpoint of a
 * service account ({@code POST /token}) and FCM HTTP v1 {@code POST /v1/projects/<project>/messages:send},
 * with scripted error answers per device token (FCM's JSON error format, Retry-After). It is an HTTP/2
 * server over TLS (Armeria, ALPN; HTTP/1.1 is still accepted so that a client falling back is seen, not
 * refused) with the test's self-signed certificate for 127.0.0.1. The push service reaches it as production
 * reaches Google: through its HTTP/2 transport, with {@code fcm-server} set to {@link #origin()}.
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
  /** The protocol of every request this server answered (token and send), in arrival order. */
  final List<SessionProtocol> protocols = new CopyOnWriteArrayList<>();
  private final Map<String, Queue<Answer>> script = new ConcurrentHashMap<>();
  private final Server server;

  FcmTestServer(TestCredentials credentials) {
    server = Server.builder()
        .https(new InetSocketAddress("127.0.0.1", 0))
        .tls(credentials.serverKeys.getPrivate(), credentials.serverCertificate)
        .service("/token", (ctx, req) -> answer(ctx, req, this::token))
        .serviceUnder("/v1/projects/", (ctx, req) -> answer(ctx, req, this::send))
        .build();
    server.start().join();
  }

  /** Where Google's hosts are for the push service ({@code fcm-server}). */
  URI origin() {
    return URI.create("https://127.0.0.1:" + server.activeLocalPort(SessionProtocol.HTTPS));
  }

  private interface Handler {
    HttpResponse handle(AggregatedHttpRequest request) throws IOException;
  }

  /** Scripted answers may touch the store: handled off the event loop. */
  private HttpResponse answer(ServiceRequestContext ctx, HttpRequest request, Handler handler) {
    protocols.add(ctx.sessionProtocol());
    return HttpResponse.of(request.aggregate().thenApplyAsync(aggregated -> {
      try {
        return handler.handle(aggregated);
      } catch (IOException e) {
        return reply(400, error(400, "INVALID_ARGUMENT", null), null);
      }
    }, ctx.blockingTaskExecutor()));
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

  private HttpResponse token(AggregatedHttpRequest request) {
    String form = request.contentUtf8();
    tokenRequests.add(form);
    if (request.method() != HttpMethod.POST || !form.contains("grant_type=urn") || !form.contains("assertion=")) {
      return reply(400, "{\"error\":\"invalid_grant\"}", null);
    }
    return reply(200, "{\"access_token\":\"test-access-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}",
        null);
  }

  private HttpResponse send(AggregatedHttpRequest request) throws IOException {
    String path = URI.create(request.path()).getPath();
    String authorization = request.headers().get("authorization");
    if (request.method() != HttpMethod.POST || !path.endsWith("/messages:send")) {
      return reply(404, error(404, "NOT_FOUND", null), null);
    }
    if (!"Bearer test-access-token".equals(authorization)) {
      return reply(401, error(401, "UNAUTHENTICATED", null), null);
    }
    String project = path.substring("/v1/projects/".length(), path.indexOf("/messages:send"));
    JsonNode message = JSON.readTree(request.contentUtf8()).path("message");
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
      return reply(answer.status(), error(answer.status(), statusName(answer.status()), answer.fcmStatus()),
          answer.retryAfterSeconds());
    }
    accepted.add(new Received(project, token, message, System.currentTimeMillis()));
    return reply(200, "{\"name\":\"projects/" + project + "/messages/" + accepted.size() + "\"}", null);
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

  private static HttpResponse reply(int status, String body, Integer retryAfter) {
    ResponseHeadersBuilder headers = ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8);
    if (retryAfter != null) {
      headers.add("retry-after", Integer.toString(retryAfter));
    }
    return HttpResponse.of(headers.build(), HttpData.ofUtf8(body));
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
