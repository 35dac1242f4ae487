package dev.messenger.push.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpResponse;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What google-http-client hands the transport reaches the server, and what the server answers comes back
 * (the HTTP/2 negotiation itself is covered by the FCM integration tests, against a TLS HTTP/2 server).
 */
class Http2TransportTest {
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
          + exchange.getRequestHeaders().getFirst("Content-Type") + " "
          + exchange.getRequestHeaders().getFirst("X-Goog-Api-Format-Version") + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] body = "{\"error\":{\"code\":429}}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.getResponseHeaders().add("Retry-After", "7");
      exchange.sendResponseHeaders(429, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void should_send_path_query_headers_and_body_to_the_origin_and_return_the_answer() throws Exception {
    Http2Transport transport = Http2Transport.create(SSLContext.getDefault(),
        Optional.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort())));
    var request = transport.createRequestFactory().buildPostRequest(
        new GenericUrl("https://fcm.googleapis.com/v1/projects/p/messages:send?alt=json"),
        ByteArrayContent.fromString("application/json; charset=UTF-8", "{\"message\":{}}"));
    request.getHeaders().set("X-Goog-Api-Format-Version", "2");
    request.setThrowExceptionOnExecuteError(false);

    HttpResponse response = request.execute();

    assertThat(seen).containsExactly("POST /v1/projects/p/messages:send?alt=json application/json; charset=UTF-8 2 "
        + "{\"message\":{}}");
    assertThat(response.getStatusCode()).isEqualTo(429);
    assertThat(response.getHeaders().getFirstHeaderStringValue("retry-after")).isEqualTo("7");
    assertThat(response.getContentType()).isEqualTo("application/json");
    assertThat(response.parseAsString()).isEqualTo("{\"error\":{\"code\":429}}");
  }

  @Test
  void should_refuse_an_origin_with_a_path() {
    assertThatThrownBy(() -> Http2Transport.create(SSLContext.getDefault(),
        Optional.of(URI.create("https://127.0.0.1:8443/v1")))).isInstanceOf(IllegalArgumentException.class);
  }
}
