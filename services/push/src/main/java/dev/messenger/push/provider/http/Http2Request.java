package dev.messenger.push.provider.http;

import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** One request of {@link Http2Transport}: the body is buffered (FCM messages are small), the response streamed. */
final class Http2Request extends LowLevelHttpRequest {
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> CONNECTION_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "content-type", "content-encoding");

  private final HttpClient client;
  private final HttpRequest.Builder builder;
  private final String method;
  private final URI uri;
  private Duration timeout;

  Http2Request(HttpClient client, String method, URI uri) {
    this.client = client;
    this.method = method;
    this.uri = uri;
    this.builder = HttpRequest.newBuilder(uri);
  }

  @Override
  public void addHeader(String name, String value) {
    if (!CONNECTION_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      builder.header(name, value);
    }
  }

  @Override
  public void setTimeout(int connectTimeoutMs, int readTimeoutMs) {
    // The JDK client's connect timeout is per client; the per-request timeout bounds the wait for the answer.
    timeout = readTimeoutMs > 0 ? Duration.ofMillis((long) readTimeoutMs + Math.max(0, connectTimeoutMs)) : null;
  }

  @Override
  public LowLevelHttpResponse execute() throws IOException {
    if (getContentType() != null) {
      builder.setHeader("Content-Type", getContentType());
    }
    if (getContentEncoding() != null) {
      builder.setHeader("Content-Encoding", getContentEncoding());
    }
    if (timeout != null) {
      builder.timeout(timeout);
    }
    builder.method(method, body());
    try {
      HttpResponse<InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      return new Http2Response(response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + method + " " + uri);
    }
  }

  private HttpRequest.BodyPublisher body() throws IOException {
    if (getStreamingContent() == null) {
      return HttpRequest.BodyPublishers.noBody();
    }
    ByteArrayOutputStream content = new ByteArrayOutputStream(getContentLength() > 0 ? (int) getContentLength() : 512);
    getStreamingContent().writeTo(content);
    return HttpRequest.BodyPublishers.ofByteArray(content.toByteArray());
  }
}
