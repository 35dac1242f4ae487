package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The web app in a real headless Chromium, through the web gateway's grpc-web, against two session servers:
 * clients/web/e2e/chat.e2e.mjs drives two pages (alice, bob); this test runs the deployment and cuts the
 * network when the script asks, sending messages from bob's phone meanwhile. Beside it, a grpc-web user
 * heartbeats for a minute (two of the server's 30 s silence limits) through the other session server and
 * must stay online throughout.
 */
@WithRealInfrastructure
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebChatIT {
  private static final Path ROOT =
      Path.of(System.getProperty("messenger.repo.root", "..")).toAbsolutePath().normalize();
  private static WebDeployment web;
  private static WebHeartbeatUser carol;
  private static Process script;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    web = WebDeployment.start(endpoints, 2, Duration.ofSeconds(1));
    // Runs beside the browser test, on a gateway of her own, so the two share the minute.
    carol = WebHeartbeatUser.subscribe(web, "carol");
    await().atMost(Duration.ofSeconds(20)).until(carol::caughtUp);
    // Her stream is on the first server; her heartbeats (see WebHeartbeatUser) all go to the second.
    assertThat(web.sessions.get(0).openStreams()).isEqualTo(1);
    assertThat(web.sessions.get(1).openStreams()).isZero();
    carol.startHeartbeats("dave");
  }

  @AfterAll
  static void stop() throws Exception {
    if (carol != null) {
      carol.close();
    }
    if (script != null) {
      script.destroyForcibly();
    }
    if (web != null) {
      web.close();
    }
  }

  @Test
  @Order(1)
  void should_chat_reload_resume_after_a_cut_and_show_presence_in_a_real_browser() throws Exception {
    Path out = Files.createDirectories(ROOT.resolve("system-tests/target/web"));
    ProcessBuilder builder = new ProcessBuilder("node", "e2e/chat.e2e.mjs")
        .directory(ROOT.resolve("clients/web").toFile())
        .redirectError(out.resolve("e2e-stderr.log").toFile());
    builder.environment().put("WEB_URL", web.url());
    builder.environment().put("ALICE_TOKEN", web.token("alice", "web"));
    builder.environment().put("BOB_TOKEN", web.token("bob", "web"));
    builder.environment().put("CHROMIUM", System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    builder.environment().put("OUT_DIR", out.toString());
    script = builder.start();

    List<String> lines = new ArrayList<>();
    int port = web.gatewayPort();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(script.getInputStream(),
        StandardCharsets.UTF_8)); Writer toScript = script.outputWriter(StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        System.out.println("[e2e] " + line);
        lines.add(line);
        if (line.equals("E2E CUT")) {
          web.stopGateway();
          sendFromBobsPhone(List.of("away 1", "away 2", "away 3"));
          tell(toScript, "CUT DONE");
        } else if (line.equals("E2E RESTORE")) {
          web.startGateway(port);
          tell(toScript, "RESTORED");
        }
      }
    }
    assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(lines).as("the browser script's report").contains("E2E PASS").noneMatch(l -> l.startsWith("E2E FAIL"));
    assertThat(script.exitValue()).isZero();
  }

  /**
   * With two session servers, a web user's unary heartbeats land on a server that does not hold her
   * Subscribe stream; she must stay online all the same (the review found web users offline after 30 s).
   */
  @Test
  @Order(2)
  void should_keep_a_web_user_online_for_a_minute_while_her_heartbeats_land_on_the_other_server() {
    assertThat(carol.heartbeatIntervalMs()).as("the shipped interval").isEqualTo(15_000);
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
        .failFast("carol went offline", carol::wentOfflineAfterOnline)
        .until(() -> carol.onlineWithoutBreak().compareTo(Duration.ofMinutes(1)) >= 0);
    assertThat(carol.heartbeats.get()).as("heartbeats sent").isGreaterThanOrEqualTo(4);
    assertThat(carol.streamOpen()).as("her stream stayed open").isTrue();
  }

  /** Bob's other device, an app talking gRPC straight to a session server, while the web is cut off. */
  private static void sendFromBobsPhone(List<String> bodies) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + web.token("bob", "phone"));
    ManagedChannel channel = ManagedChannelBuilder.forTarget(web.sessions.get(0).address()).usePlaintext().build();
    try {
      SessionGrpc.SessionBlockingStub phone = SessionGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      for (String body : bodies) {
        SendAck ack = phone.withDeadlineAfter(15, TimeUnit.SECONDS).send(SendRequest.newBuilder()
            .setClientMessageId("phone-" + body.replace(' ', '-'))
            .setConversationId("dm:alice:bob")
            .setBody(body)
            .build());
        assertThat(ack.getDuplicate()).isFalse();
      }
    } finally {
      channel.shutdownNow();
    }
  }

  private static void tell(Writer toScript, String line) throws java.io.IOException {
    toScript.write(line + "\n");
    toScript.flush();
  }
}
