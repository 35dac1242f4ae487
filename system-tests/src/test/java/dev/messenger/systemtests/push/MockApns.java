package dev.messenger.systemtests.push;

import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Pushy's MockApnsServer on 127.0.0.1 with TLS from {@link TestCredentials}, recording every accepted
 * notification and answering the next requests for a token with scripted rejections.
 */
final class MockApns implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One notification the server accepted. */
  record Received(String token, String topic, String collapseId, JsonNode payload, long atMs, String clientSubject) {
    String title() {
      return payload.path("aps").path("alert").path("title").asText();
    }

    String body() {
      return payload.path("aps").path("alert").path("body").asText(null);
    }

    int badge() {
      return payload.path("aps").path("badge").asInt(-1);
    }
  }

  final List<Received> accepted = new CopyOnWriteArrayList<>();
  final List<Long> attemptsAtMs = new CopyOnWriteArrayList<>();
  private final Map<String, Queue<RejectedNotificationException>> script = new ConcurrentHashMap<>();
  private final MockApnsServer server;
  final int port;

  MockApns(TestCredentials credentials) throws Exception {
    this(credentials, null);
  }

  /** A server that accepts only TLS clients with a certificate from {@code trustedClientPem} (when given). */
  MockApns(TestCredentials credentials, java.nio.file.Path trustedClientPem) throws Exception {
    MockApnsServerBuilder builder = new MockApnsServerBuilder()
        .setServerCredentials(new X509Certificate[] {credentials.serverCertificate},
            credentials.serverKeys.getPrivate(), null)
        .setHandlerFactory(session -> {
          String client = clientSubject(session);
          return (headers, payload) -> handle(headers, payload, client);
        });
    if (trustedClientPem != null) {
      builder.setTrustedClientCertificateChain(trustedClientPem.toFile());
    }
    this.server = builder.build();
    this.port = server.start(0).get(10, TimeUnit.SECONDS);
  }

  /** The next {@code times} requests for {@code token} are refused with {@code reason}. */
  void reject(String token, RejectionReason reason, int times) {
    Queue<RejectedNotificationException> queue = script.computeIfAbsent(token, t -> new ArrayDeque<>());
    synchronized (queue) {
      for (int i = 0; i < times; i++) {
        queue.add(new RejectedNotificationException(reason));
      }
    }
  }

  /** The next request for {@code token} is refused: Unregistered (410) since {@code since}. */
  void unregistered(String token, Instant since) {
    Queue<RejectedNotificationException> queue = script.computeIfAbsent(token, t -> new ArrayDeque<>());
    synchronized (queue) {
      queue.add(new UnregisteredDeviceTokenException(since));
    }
  }

  List<Received> to(String token) {
    return accepted.stream().filter(r -> r.token().equals(token)).toList();
  }

  private static String clientSubject(javax.net.ssl.SSLSession session) {
    try {
      return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
    } catch (javax.net.ssl.SSLPeerUnverifiedException noClientCertificate) {
      return "";
    }
  }

  private void handle(io.netty.handler.codec.http2.Http2Headers headers, ByteBuf payload, String clientSubject)
      throws RejectedNotificationException {
    String path = headers.path().toString();
    String token = path.substring(path.lastIndexOf('/') + 1);
    attemptsAtMs.add(System.currentTimeMillis());
    Queue<RejectedNotificationException> queue = script.get(token);
    if (queue != null) {
      RejectedNotificationException rejection;
      synchronized (queue) {
        rejection = queue.poll();
      }
      if (rejection != null) {
        throw rejection;
      }
    }
    CharSequence collapse = headers.get("apns-collapse-id");
    CharSequence topic = headers.get("apns-topic");
    try {
      accepted.add(new Received(token, topic == null ? "" : topic.toString(),
          collapse == null ? "" : collapse.toString(), JSON.readTree(payload.toString(StandardCharsets.UTF_8)),
          System.currentTimeMillis(), clientSubject));
    } catch (java.io.IOException e) {
      throw new RejectedNotificationException(RejectionReason.PAYLOAD_EMPTY);
    }
  }

  @Override
  public void close() throws Exception {
    server.shutdown().get(10, TimeUnit.SECONDS);
  }
}
