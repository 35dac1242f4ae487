package dev.messenger.systemtests.push;

import static dev.messenger.systemtests.push.PushCluster.apnsDevice;
import static dev.messenger.systemtests.push.PushCluster.counter;
import static dev.messenger.systemtests.push.PushCluster.direct;
import static dev.messenger.systemtests.push.PushCluster.fcmDevice;
import static dev.messenger.systemtests.push.PushCluster.histogramCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.linecorp.armeria.common.SessionProtocol;
import dev.messenger.api.v1.SetConversationMuteRequest;
import dev.messenger.api.v1.SetPushPreferencesRequest;
import dev.messenger.internal.v1.PushCandidate;
import dev.messenger.push.PushNode;
import dev.messenger.push.client.PushStreams;
import dev.messenger.push.decision.JobDecider;
import dev.messenger.push.decision.RetryPolicy;
import dev.messenger.push.store.DeliveryState;
import dev.messenger.testing.WithRealInfrastructure;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who is notified of a committed message, and how: through Pushy's mock APNs server and a local FCM v1
 * server reached through the Firebase Admin SDK, with a push instance in this JVM.
 */
@WithRealInfrastructure
@ExtendWith(PushKeyspace.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PushDeliveryIT {
  private static final Duration DELAY = Duration.ofSeconds(3);
  private static final Duration SHORTLY = Duration.ofSeconds(15);
  private static PushCluster cluster;
  private static PushNode push;
  private static final PrometheusRegistry metrics = new PrometheusRegistry();

  @BeforeAll
  static void start(PushKeyspace.Shared shared) throws Exception {
    cluster = PushCluster.create(shared);
    push = cluster.startPush("push-1", metrics, config -> config.withTimings(DELAY, Duration.ofSeconds(30),
        new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), 3), Duration.ofSeconds(10)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_turn_a_burst_into_one_notification_per_device_and_never_notify_the_sender() throws Exception {
    String apnsToken = "aa01bb02cc03dd04ee05ff0600000001";
    String fcmToken = "fcm-bob-android-1";
    String senderToken = "aa01bb02cc03dd04ee05ff0600000002";
    cluster.devices(push, "bob", "iphone").registerDevice(apnsDevice(apnsToken));
    cluster.devices(push, "bob", "android").registerDevice(fcmDevice(fcmToken));
    cluster.devices(push, "alice", "ipad").registerDevice(apnsDevice(senderToken));
    double queuedBefore = counter(metrics, "messenger_push_jobs_queued_total", Map.of());
    long latenciesBefore = histogramCount(metrics, "messenger_push_commit_to_accept_seconds", Map.of());

    for (int seq = 1; seq <= 3; seq++) {
      cluster.publish(direct("alice", "bob", seq, "message " + seq));
    }
    assertThat(cluster.publisher.publish(direct("alice", "bob", 3, "message 3")).get(10, TimeUnit.SECONDS))
        .as("the same conversation and seq handed over again is stored once").isFalse();

    await().atMost(SHORTLY).until(() -> cluster.apns.to(apnsToken).size() == 1 && cluster.fcm.to(fcmToken).size() == 1);
    await().during(DELAY).atMost(DELAY.multipliedBy(2))
        .until(() -> cluster.apns.to(apnsToken).size() == 1 && cluster.fcm.to(fcmToken).size() == 1);
    MockApns.Received ios = cluster.apns.to(apnsToken).get(0);
    assertThat(ios.title()).isEqualTo("3 new messages from alice");
    assertThat(ios.body()).as("previews are off by default").isNull();
    assertThat(ios.badge()).isEqualTo(3);
    assertThat(ios.topic()).isEqualTo(PushCluster.TOPIC);
    assertThat(ios.collapseId()).isEqualTo(JobDecider.collapseId("dm:alice:bob"));
    FcmTestServer.Received android = cluster.fcm.to(fcmToken).get(0);
    assertThat(android.project()).isEqualTo(PushCluster.FCM_PROJECT);
    assertThat(android.title()).isEqualTo("3 new messages from alice");
    assertThat(android.body()).isNull();
    assertThat(android.collapseKey()).isEqualTo(JobDecider.collapseId("dm:alice:bob"));
    assertThat(android.tag()).isEqualTo(android.collapseKey());
    assertThat(android.notificationCount()).isEqualTo(3);
    assertThat(cluster.apns.to(senderToken)).as("the sender's own devices").isEmpty();
    assertThat(cluster.fcm.tokenRequests).as("the SDK took its OAuth token from the test server").isNotEmpty();
    assertThat(cluster.fcm.protocols).as("token exchange and sends, over the production transport")
        .isNotEmpty().containsOnly(SessionProtocol.H2);
    assertThat(counter(metrics, "messenger_push_sent_total", Map.of("provider", "apns"))).isGreaterThanOrEqualTo(1);
    assertThat(counter(metrics, "messenger_push_jobs_queued_total", Map.of()) - queuedBefore)
        .as("three messages for bob's two devices, none for alice's").isEqualTo(6);
    assertThat(histogramCount(metrics, "messenger_push_commit_to_accept_seconds", Map.of()) - latenciesBefore)
        .as("commit to acceptance measured per notification").isEqualTo(2);
  }

  @Test
  void should_hand_over_messages_committed_together_in_few_stream_messages_and_notify_every_recipient()
      throws Exception {
    int recipients = 40;
    for (int i = 0; i < recipients; i++) {
      cluster.devices(push, "batch-" + i, "android").registerDevice(fcmDevice("fcm-batch-" + i));
    }
    long storedBefore = storedCandidateMessages();

    List<CompletableFuture<Boolean>> handedOver = new ArrayList<>();
    for (int i = 0; i < recipients; i++) {
      handedOver.add(cluster.publisher.publish(direct("batcher", "batch-" + i, 1, "hello " + i)));
    }
    CompletableFuture.allOf(handedOver.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    assertThat(storedCandidateMessages() - storedBefore).as("stream messages for %d candidates", recipients)
        .isLessThanOrEqualTo(recipients / 4);
    for (int i = 0; i < recipients; i++) {
      String token = "fcm-batch-" + i;
      await().atMost(SHORTLY).until(() -> cluster.fcm.to(token).size() == 1);
    }
    await().during(DELAY).atMost(DELAY.multipliedBy(2)).until(() -> java.util.stream.IntStream.range(0, recipients)
        .allMatch(i -> cluster.fcm.to("fcm-batch-" + i).size() == 1));
  }

  private static long storedCandidateMessages() throws Exception {
    return cluster.nats.jetStreamManagement().getStreamInfo(new PushStreams(cluster.subjects).candidatesStream())
        .getStreamState().getLastSequence();
  }

  @Test
  void should_not_notify_a_device_that_received_the_message_within_the_delay() throws Exception {
    String token = "aa01bb02cc03dd04ee05ff0600000003";
    cluster.devices(push, "dora", "iphone").registerDevice(apnsDevice(token));
    double deliveredBefore = counter(metrics, "messenger_push_dropped_total", Map.of("reason", "delivered"));
    PushCandidate message = direct("carl", "dora", 1, "are you there?");

    cluster.publish(message);
    cluster.delivered("dora", "iphone", message.getConversationId(), 1);

    await().atMost(SHORTLY).until(() ->
        counter(metrics, "messenger_push_dropped_total", Map.of("reason", "delivered")) > deliveredBefore);
    assertThat(cluster.apns.to(token)).isEmpty();

    cluster.publish(direct("carl", "dora", 2, "hello?"));
    await().atMost(SHORTLY).until(() -> cluster.apns.to(token).size() == 1);
    assertThat(cluster.apns.to(token).get(0).title()).as("counts only what the device has not received")
        .isEqualTo("New message from carl");
  }

  @Test
  void should_not_notify_a_muted_conversation_until_the_mute_is_lifted() throws Exception {
    String token = "fcm-erin-android";
    cluster.devices(push, "erin", "android").registerDevice(fcmDevice(token));
    PushCandidate first = direct("fred", "erin", 1, "psst");
    cluster.devices(push, "erin", "android").setConversationMute(SetConversationMuteRequest.newBuilder()
        .setConversationId(first.getConversationId()).setForever(true).build());
    double mutedBefore = counter(metrics, "messenger_push_dropped_total", Map.of("reason", "muted"));

    cluster.publish(first);
    await().atMost(SHORTLY).until(() ->
        counter(metrics, "messenger_push_dropped_total", Map.of("reason", "muted")) > mutedBefore);
    assertThat(cluster.fcm.to(token)).isEmpty();

    cluster.devices(push, "erin", "tablet").setConversationMute(SetConversationMuteRequest.newBuilder()
        .setConversationId(first.getConversationId()).setMutedUntilMs(0).build());
    cluster.publish(direct("fred", "erin", 2, "psst again"));
    await().atMost(SHORTLY).until(() -> cluster.fcm.to(token).size() == 1);
    assertThat(cluster.fcm.to(token).get(0).title()).isEqualTo("2 new messages from fred");
  }

  @Test
  void should_show_the_text_only_to_users_who_allow_previews() throws Exception {
    String token = "aa01bb02cc03dd04ee05ff0600000004";
    cluster.devices(push, "gina", "iphone").registerDevice(apnsDevice(token));
    cluster.devices(push, "gina", "iphone").setPushPreferences(
        SetPushPreferencesRequest.newBuilder().setShowPreviews(true).build());

    cluster.publish(direct("hank", "gina", 1, "dinner at 8?"));

    await().atMost(SHORTLY).until(() -> cluster.apns.to(token).size() == 1);
    assertThat(cluster.apns.to(token).get(0).body()).isEqualTo("dinner at 8?");
    assertThat(cluster.apns.to(token).get(0).title()).isEqualTo("New message from hank");
  }

  @Test
  void should_count_the_badge_over_a_bounded_number_of_conversations() throws Exception {
    String token = "aa01bb02cc03dd04ee05ff0600000005";
    cluster.devices(push, "ivy", "iphone").registerDevice(apnsDevice(token));
    PreparedStatement insert = cluster.cql.prepare("INSERT INTO " + cluster.keyspace + ".user_conversations "
        + "(user_id, conversation_id, last_seq, read_seq) VALUES ('ivy', ?, 2, 1)");
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < DeliveryState.BADGE_SCAN_LIMIT + 5; i++) {
      writes.add(cluster.cql.executeAsync(insert.bind("dm:ivy:zz%05d".formatted(i))).toCompletableFuture());
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    cluster.publish(direct("jack", "ivy", 1, "hi ivy"));

    await().atMost(SHORTLY).until(() -> cluster.apns.to(token).size() == 1);
    assertThat(cluster.apns.to(token).get(0).badge())
        .as("this message, and one unread in each of the first %d other conversations", DeliveryState.BADGE_SCAN_LIMIT)
        .isEqualTo(1 + DeliveryState.BADGE_SCAN_LIMIT);
  }
}
