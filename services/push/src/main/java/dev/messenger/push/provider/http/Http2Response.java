package dev.messenger.push.provider.http;

import com.google.api.client.http.LowLevelHttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The answer to an {@link Http2Request}, headers flattened in the order the server sent them. */
final class Http2Response extends LowLevelHttpResponse {
  private final HttpResponse<InputStream> response;
  private final List<String> names = new ArrayList<>();
  private final List<String> values = new ArrayList<>();

  Http2Response(HttpResponse<InputStream> response) {
    this.response = response;
    for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
      if (header.getKey().startsWith(":")) {
        continue;
      }
      for (String value : header.getValue()) {
        names.add(header.getKey());
        values.add(value);
      }
    }
  }

  @Override
  public InputStream getContent() {
    return response.body();
  }

  @Override
  public String getContentEncoding() {
    return response.headers().firstValue("content-encoding").orElse(null);
  }

  @Override
  public long getContentLength() {
    return response.headers().firstValueAsLong("content-length").orElse(-1);
  }

  @Override
  public String getContentType() {
    return response.headers().firstValue("content-type").orElse(null);
  }

  @Override
  public String getStatusLine() {
    return (response.version() == HttpClient.Version.HTTP_2 ? "HTTP/2 " : "HTTP/1.1 ") + response.statusCode();
  }

  @Override
  public int getStatusCode() {
    return response.statusCode();
  }

  @Override
  public String getReasonPhrase() {
    return null;
  }

  @Override
  public int getHeaderCount() {
    return names.size();
  }

  @Override
  public String getHeaderName(int index) {
    return names.get(index);
  }

  @Override
  public String getHeaderValue(int index) {
    return values.get(index);
  }

  @Override
  public void disconnect() throws IOException {
    response.body().close();
  }
}
