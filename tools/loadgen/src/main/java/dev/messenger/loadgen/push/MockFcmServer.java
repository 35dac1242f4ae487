package dev.messenger.loadgen.push;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import dev.messenger.loadgen.report.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManagerFactory;

/**
 * The FCM the push instances of a load run talk to: HTTP/2 over TLS (Armeria), the OAuth token endpoint of a
 * service account and FCM v1 {@code messages:send}, which accepts every message at once and tells the
 * listener, on the thread that answers, which device was notified of which message.
 */
public final class MockFcmServer implements AutoCloseable {
  /** Called for every accepted message, with {@link System#nanoTime()} at acceptance. */
  public interface Listener {
    void accepted(String deviceToken, String conversationId, long seq, long acceptedNanos);
  }

  private static final String TOKEN_ANSWER =
      "{\"access_token\":\"load-access-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}";

  private final Server server;
  private final Listener listener;
  private final LongAdder notHttp2 = new LongAdder();
  private final LongAdder refused = new LongAdder();

  public MockFcmServer(KeyManagerFactory keys, Listener listener) {
    this.listener = listener;
    this.server = Server.builder()
        .https(new InetSocketAddress("127.0.0.1", 0))
        .tls(keys)
        .service("/token", (ctx, req) -> HttpResponse.of(MediaType.JSON_UTF_8, TOKEN_ANSWER))
        .serviceUnder("/v1/projects/", (ctx, req) -> {
          if (ctx.sessionProtocol() != SessionProtocol.H2) {
            notHttp2.increment();
          }
          return HttpResponse.of(req.aggregate().thenApply(this::send));
        })
        .build();
    server.start().join();
  }

  /** What the push instances are given as {@code fcm-server}. */
  public URI origin() {
    return URI.create("https://127.0.0.1:" + server.activeLocalPort(SessionProtocol.HTTPS));
  }

  /** Sends that did not come over HTTP/2 (expected 0). */
  public long notHttp2() {
    return notHttp2.sum();
  }

  /** Sends refused as malformed or unauthenticated (expected 0). */
  public long refused() {
    return refused.sum();
  }

  @SuppressWarnings("unchecked")
  private HttpResponse send(AggregatedHttpRequest request) {
    long now = System.nanoTime();
    if (!"Bearer load-access-token".equals(request.headers().get("authorization"))) {
      refused.increment();
      return HttpResponse.of(HttpStatus.UNAUTHORIZED);
    }
    Map<String, Object> message;
    try {
      message = (Map<String, Object>) Json.parseObject(request.contentUtf8()).get("message");
    } catch (RuntimeException e) {
      message = null;
    }
    Map<String, Object> data = message == null ? null : (Map<String, Object>) message.get("data");
    if (data == null || !(message.get("token") instanceof String token)) {
      refused.increment();
      return HttpResponse.of(HttpStatus.BAD_REQUEST);
    }
    listener.accepted(token, String.valueOf(data.get("conversation_id")),
        Long.parseLong(String.valueOf(data.get("seq"))), now);
    return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, "content-type", MediaType.JSON_UTF_8.toString()),
        HttpData.ofUtf8("{\"name\":\"projects/load/messages/1\"}"));
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
