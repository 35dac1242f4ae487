package dev.messenger.push.provider.http;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A google-http-client transport over the JDK's {@link HttpClient}, which speaks HTTP/2 (negotiated by ALPN
 * over TLS) and multiplexes concurrent requests over one connection per host. google-http-client's own
 * transports are HTTP/1.1 only. {@code origin}, when present, replaces the scheme, host and port of every
 * request (path and query kept): a test server or a proxy in front of Google's hosts.
 */
public final class Http2Transport extends HttpTransport {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client;
  private final Optional<URI> origin;

  private Http2Transport(HttpClient client, Optional<URI> origin) {
    this.client = client;
    this.origin = origin;
  }

  /** Requests go to {@code origin} (e.g. {@code https://127.0.0.1:8443}) when present, trusted through {@code tls}. */
  public static Http2Transport create(SSLContext tls, Optional<URI> origin) {
    origin.ifPresent(o -> {
      if (o.getScheme() == null || o.getHost() == null || (o.getRawPath() != null && !o.getRawPath().isEmpty())) {
        throw new IllegalArgumentException("origin must be scheme://host[:port], got " + o);
      }
    });
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_2)
        .connectTimeout(CONNECT_TIMEOUT)
        .sslContext(tls)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    return new Http2Transport(client, origin);
  }

  @Override
  public boolean supportsMethod(String method) {
    return true;
  }

  @Override
  protected LowLevelHttpRequest buildRequest(String method, String url) {
    return new Http2Request(client, method, target(URI.create(url)));
  }

  private URI target(URI requested) {
    if (origin.isEmpty()) {
      return requested;
    }
    String query = requested.getRawQuery() == null ? "" : "?" + requested.getRawQuery();
    return URI.create(origin.get().getScheme() + "://" + origin.get().getRawAuthority() + requested.getRawPath()
        + query);
  }
}
