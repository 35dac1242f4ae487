package dev.messenger.systemtests.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.ConversationSummary;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.common.ConversationIds;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.Processes;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ./messenger up runs, with nothing configured but where etcd, NATS and the CQL store are: every
 * service comes up healthy, the web gateway serves the app, a token from ./messenger token works on every
 * service (they agree on the development key), a message goes through session and router and is then
 * listed, paged and synced by
 * history (they agree on shard count, namespace and keyspace), presence sees a stream (partitions agree),
 * and SIGTERM leaves no process behind. With {@code --sessions=2} a second session server serves too, and the
 * control port restarts a service (SIGTERM for a session server, SIGKILL for the router) until it is SERVING
 * again. Every metric the ops/ dashboard and alerts use is served ({@link OpsMetrics}). The short fault suite runs on the three-node cluster ({@link ClusterStackIT}).
 */
@WithRealInfrastructure
@Timeout(value = 720, unit = TimeUnit.SECONDS)
class StackIT {
  @TempDir Path temp;

  @Test
  void should_start_every_service_healthy_and_stop_them_all(InfrastructureEndpoints endpoints) throws Exception {
    Path root = Path.of(System.getProperty("messenger.repo.root", "..")).toAbsolutePath().normalize();
    LocalStack.Started started = LocalStack.start(root, temp, endpoints, "--sessions=2");
    int base = started.base();
    try (ChildProcess stack = started.process()) {
      started.awaitReady(Duration.ofSeconds(300));
      String printed = Files.readString(stack.logFile());
      for (String service : List.of("session", "session-2", "router", "history", "presence", "push")) {
        assertThat(printed).containsPattern(service + " +grpc 127\\.0\\.0\\.1:\\d+");
      }
      assertThat(printed).contains("web http://127.0.0.1:" + (base + 1000) + "/");
      HttpResponse<String> page = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (base + 1000) + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).as("the web app").contains("<title>messenger</title>", "app.js");
      for (int offset : List.of(100, 101, 200, 300, 400, 500)) {
        assertThat(health(base + offset)).as("service on port %d", base + offset).isEqualTo(ServingStatus.SERVING);
      }
      usersOfTheDefaultStack(root, base);
      OpsMetrics.assertServedByTheStack(root, base);
      restartsThroughTheControlPort(base);

      List<ProcessHandle> descendants = ProcessHandle.of(stack.pid()).orElseThrow().descendants().toList();
      assertThat(descendants.stream().filter(p -> p.info().command().orElse("").endsWith("/java")).count())
          .as("six service JVMs and the web gateway").isGreaterThanOrEqualTo(7);

      ProcessHandle.of(stack.pid()).orElseThrow().destroy();

      await().atMost(Duration.ofSeconds(90)).until(() -> !stack.isAlive());
      await().atMost(Duration.ofSeconds(30)).until(() -> descendants.stream().noneMatch(Processes::isRunning));
      assertThat(Files.readString(stack.logFile())).contains("messenger stopped");
    }
  }

  private void usersOfTheDefaultStack(Path root, int base) throws Exception {
    try (DefaultStackUser alice = DefaultStackUser.signIn(root, temp, "alice", "laptop", base);
        DefaultStackUser bob = DefaultStackUser.signIn(root, temp, "bob", "phone", base)) {
      // Several conversations, so that a session server and a router that disagree on the shard count
      // would send some of them to a shard nobody serves.
      for (String peer : List.of("bob", "carol", "dave", "erin", "frank", "grace")) {
        SendAck ack = alice.sendTo(peer, "hello-" + peer, "hello " + peer);
        assertThat(ack.getSeq()).as("first message to %s", peer).isEqualTo(1);
      }
      String conversation = ConversationIds.direct("alice", "bob");

      assertThat(alice.listConversations().getConversationsList())
          .extracting(ConversationSummary::getConversationId)
          .contains(conversation);
      assertThat(bob.messages(conversation).getMessagesList())
          .extracting(Message::getBody)
          .containsExactly("hello bob");
      assertThat(bob.syncFromScratch().getMessagesList())
          .extracting(Message::getConversationId, Message::getSeq)
          .containsExactly(tuple(conversation, 1L));

      CompletableFuture<Status> subscription = new CompletableFuture<>();
      alice.subscribe(new StreamObserver<>() {
        @Override
        public void onNext(ServerFrame frame) {}

        @Override
        public void onError(Throwable t) {
          subscription.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
          subscription.complete(Status.OK);
        }
      });
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
          .failFast("alice's subscription ended", subscription::isDone)
          .until(() -> bob.presenceOf("alice").getState() == PresenceState.PRESENCE_STATE_ONLINE);
    }
  }

  private static void restartsThroughTheControlPort(int base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String control = "http://127.0.0.1:" + (base + 1900);
    String listed = http.send(HttpRequest.newBuilder(URI.create(control + "/services")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(listed).contains("\"service\":\"session-2\"", "\"grpc_port\":" + (base + 101));
    for (String restart : List.of("service=session-2&signal=TERM", "service=router&signal=KILL")) {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(control + "/restart?" + restart))
          .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(240)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      java.util.regex.Matcher pids = java.util.regex.Pattern.compile("\"old_pid\":(\\d+),\"new_pid\":(\\d+)")
          .matcher(answer.body());
      assertThat(pids.find()).as(answer.body()).isTrue();
      long oldPid = Long.parseLong(pids.group(1));
      assertThat(Long.parseLong(pids.group(2))).isNotEqualTo(oldPid);
      assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false)).as("the old process").isFalse();
    }
    assertThat(health(base + 101)).isEqualTo(ServingStatus.SERVING);
    assertThat(health(base + 200)).isEqualTo(ServingStatus.SERVING);
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(control + "/restart?service=nope"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  private static ServingStatus health(int port) {
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } finally {
      channel.shutdownNow();
    }
  }
}
