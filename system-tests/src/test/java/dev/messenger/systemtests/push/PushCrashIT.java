package dev.messenger.systemtests.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.ApnsEnvironment;
import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.PushPlatform;
import dev.messenger.internal.v1.PushCandidate;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.push.decision.RetryPolicy;
import dev.messenger.push.store.DeviceRegistration;
import dev.messenger.testing.WithRealInfrastructure;
import io.nats.client.JetStreamManagement;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No job is lost when a push instance dies: a push service process (PushMain, APNs token auth from its
 * flags) queues 1,000 jobs and starts sending them to an APNs that has stalled (nothing is accepted, some
 * jobs are in its hands), is killed with SIGKILL, and a second instance sends every one of them exactly once.
 */
@WithRealInfrastructure
@ExtendWith(PushKeyspace.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PushCrashIT {
  private static final Duration DELAY = Duration.ofSeconds(1);
  private static final Duration ACK_WAIT = Duration.ofSeconds(5);
  private static final int USERS = 100;
  private static final int GROUPS = 10;
  private static PushCluster cluster;

  @BeforeAll
  static void start(PushKeyspace.Shared shared) throws Exception {
    cluster = PushCluster.create(shared);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_send_every_queued_job_once_after_the_push_process_is_killed() throws Exception {
    List<String> users = IntStream.range(0, USERS).mapToObj(i -> "crash-user-" + i).toList();
    List<CompletableFuture<Void>> registrations = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      registrations.add(cluster.registry.register(new DeviceRegistration(users.get(i), "iphone",
          PushPlatform.PUSH_PLATFORM_APNS, ApnsEnvironment.APNS_ENVIRONMENT_PRODUCTION,
          String.format("cc%030x", i), PushCluster.TOPIC, System.currentTimeMillis())).toCompletableFuture());
    }
    CompletableFuture.allOf(registrations.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    SilentServer stalledApns = new SilentServer();
    ChildProcess first = cluster.startPushProcess("push-doomed", List.of("--delay=" + DELAY.toSeconds() + "s",
        "--ack-wait=" + ACK_WAIT.toSeconds() + "s", "--apns-server=127.0.0.1:" + stalledApns.port()));
    JetStreamManagement jsm = cluster.nats.jetStreamManagement();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> jsm.getConsumerInfo(cluster.streams().jobsStream(), "push-sender") != null
            && jsm.getConsumerInfo(cluster.streams().candidatesStream(), "push-expander") != null);

    for (int g = 0; g < GROUPS; g++) {
      cluster.publish(PushCandidate.newBuilder().setConversationId("g:crash-" + g).setSeq(1)
          .setMessageId("m-" + g).setSenderUserId("crash-sender").setSenderDeviceId("phone")
          .addMemberUserIds("crash-sender").addAllMemberUserIds(users).setServerTimeMs(System.currentTimeMillis())
          .setConversationTitle("Group " + g).setConversationKind(ConversationKind.CONVERSATION_KIND_GROUP).build());
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> jobsInQueue(jsm) == USERS * GROUPS
        && jsm.getStreamInfo(cluster.streams().candidatesStream()).getStreamState().getMsgCount() == 0
        && stalledApns.connections() > 0);

    first.kill();
    stalledApns.close();
    assertThat(first.isAlive()).isFalse();
    assertThat(jobsInQueue(jsm)).isEqualTo(USERS * GROUPS);

    cluster.startPush("push-heir", new PrometheusRegistry(), config -> config.withTimings(DELAY, Duration.ofSeconds(30),
        RetryPolicy.defaults(), ACK_WAIT));

    await().atMost(Duration.ofSeconds(90)).until(() -> cluster.apns.accepted.size() >= USERS * GROUPS);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
        .until(() -> cluster.apns.accepted.size() == USERS * GROUPS);
    Set<String> distinct = cluster.apns.accepted.stream().map(r -> r.token() + "/" + r.collapseId())
        .collect(Collectors.toCollection(HashSet::new));
    assertThat(distinct).as("every (device, message) once").hasSize(USERS * GROUPS);
    assertThat(cluster.apns.accepted).allSatisfy(r -> assertThat(r.title()).startsWith("New message in Group "));
    await().atMost(Duration.ofSeconds(10)).until(() -> jobsInQueue(jsm) == 0);
  }

  private static long jobsInQueue(JetStreamManagement jsm) throws Exception {
    return jsm.getStreamInfo(cluster.streams().jobsStream()).getStreamState().getMsgCount();
  }
}
