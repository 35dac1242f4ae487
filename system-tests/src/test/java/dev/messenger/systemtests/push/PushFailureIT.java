package dev.messenger.systemtests.push;

import static dev.messenger.systemtests.push.PushCluster.apnsDevice;
import static dev.messenger.systemtests.push.PushCluster.counter;
import static dev.messenger.systemtests.push.PushCluster.direct;
import static dev.messenger.systemtests.push.PushCluster.fcmDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eatthepath.pushy.apns.server.RejectionReason;
import dev.messenger.push.PushNode;
import dev.messenger.push.decision.RetryPolicy;
import dev.messenger.push.store.DeadLetters;
import dev.messenger.push.store.DeviceRegistration;
import dev.messenger.testing.WithRealInfrastructure;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What push does when providers refuse: retries with backoff, dead letters, dead tokens removed. */
@WithRealInfrastructure
@ExtendWith(PushKeyspace.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PushFailureIT {
  private static final Duration DELAY = Duration.ofMillis(500);
  private static final Duration SHORTLY = Duration.ofSeconds(20);
  private static final int MAX_ATTEMPTS = 3;
  private static PushCluster cluster;
  private static PushNode push;
  private static final PrometheusRegistry metrics = new PrometheusRegistry();

  @BeforeAll
  static void start(PushKeyspace.Shared shared) throws Exception {
    cluster = PushCluster.create(shared);
    push = cluster.startPush("push-1", metrics, config -> config.withTimings(DELAY, Duration.ofSeconds(30),
        new RetryPolicy(Duration.ofMillis(300), Duration.ofSeconds(2), MAX_ATTEMPTS), Duration.ofSeconds(10)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_retry_503_until_apns_accepts_and_notify_once() throws Exception {
    String token = "bb01bb02cc03dd04ee05ff0600000001";
    cluster.devices(push, "ivan", "iphone").registerDevice(apnsDevice(token));
    cluster.apns.reject(token, RejectionReason.SERVICE_UNAVAILABLE, 2);
    double retriedBefore = counter(metrics, "messenger_push_retried_total", Map.of("provider", "apns"));

    cluster.publish(direct("judy", "ivan", 1, "hi"));

    await().atMost(SHORTLY).until(() -> cluster.apns.to(token).size() == 1);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> cluster.apns.to(token).size() == 1);
    assertThat(counter(metrics, "messenger_push_retried_total", Map.of("provider", "apns")) - retriedBefore)
        .isEqualTo(2);
    assertThat(counter(metrics, "messenger_push_failed_total",
        Map.of("provider", "apns", "reason", "ServiceUnavailable"))).isGreaterThanOrEqualTo(2);
  }

  @Test
  void should_wait_as_long_as_fcm_asks_with_retry_after_on_429() throws Exception {
    String token = "fcm-kate-android";
    cluster.devices(push, "kate", "android").registerDevice(fcmDevice(token));
    cluster.fcm.answer(token, new FcmTestServer.Answer(429, "QUOTA_EXCEEDED", 2));
    int attemptsBefore = cluster.fcm.attemptsAtMs.size();

    cluster.publish(direct("liam", "kate", 1, "hi"));

    await().atMost(SHORTLY).until(() -> cluster.fcm.to(token).size() == 1);
    List<Long> attempts = cluster.fcm.attemptsAtMs.subList(attemptsBefore, cluster.fcm.attemptsAtMs.size());
    long refusedAt = attempts.get(0);
    assertThat(cluster.fcm.to(token).get(0).atMs() - refusedAt).as("waited for Retry-After: 2")
        .isGreaterThanOrEqualTo(2000);
  }

  @Test
  void should_dead_letter_after_the_last_attempt() throws Exception {
    String token = "bb01bb02cc03dd04ee05ff0600000002";
    cluster.devices(push, "mona", "iphone").registerDevice(apnsDevice(token));
    cluster.apns.reject(token, RejectionReason.SERVICE_UNAVAILABLE, MAX_ATTEMPTS);
    DeadLetters letters = new DeadLetters(cluster.cql, cluster.store);

    cluster.publish(direct("nick", "mona", 1, "hi"));

    await().atMost(SHORTLY).until(() -> !letters.ofUser("mona").toCompletableFuture().join().isEmpty());
    DeadLetters.DeadLetter letter = letters.ofUser("mona").toCompletableFuture().join().get(0);
    assertThat(letter.deviceId()).isEqualTo("iphone");
    assertThat(letter.seq()).isEqualTo(1);
    assertThat(letter.provider()).isEqualTo("apns");
    assertThat(letter.reason()).isEqualTo("ServiceUnavailable");
    assertThat(letter.attempts()).isEqualTo(MAX_ATTEMPTS);
    assertThat(cluster.apns.to(token)).isEmpty();
    assertThat(counter(metrics, "messenger_push_dead_lettered_total", Map.of("provider", "apns")))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void should_remove_a_token_apns_reports_unregistered() throws Exception {
    String token = "bb01bb02cc03dd04ee05ff0600000003";
    cluster.devices(push, "olga", "iphone").registerDevice(apnsDevice(token));
    cluster.apns.unregistered(token, Instant.now());

    cluster.publish(direct("paul", "olga", 1, "hi"));

    await().atMost(SHORTLY).until(() -> device("olga", "iphone").isEmpty());
    assertThat(cluster.apns.to(token)).isEmpty();
    assertThat(counter(metrics, "messenger_push_tokens_removed_total", Map.of("provider", "apns")))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void should_keep_a_token_registered_again_after_fcm_rejected_it() throws Exception {
    String token = "fcm-rita-android";
    cluster.devices(push, "rita", "android").registerDevice(fcmDevice(token));
    double failedBefore = counter(metrics, "messenger_push_failed_total",
        Map.of("provider", "fcm", "reason", "UNREGISTERED"));
    // While the rejected send is on its way, the app registers again (here with the same token).
    cluster.fcm.answer(token, new FcmTestServer.Answer(404, "UNREGISTERED", null,
        () -> cluster.devices(push, "rita", "android").registerDevice(fcmDevice(token))));

    cluster.publish(direct("sam", "rita", 1, "hi"));

    await().atMost(SHORTLY).until(() -> counter(metrics, "messenger_push_failed_total",
        Map.of("provider", "fcm", "reason", "UNREGISTERED")) > failedBefore);
    assertThat(device("rita", "android")).as("registered again after the rejected send: kept").isPresent();

    cluster.fcm.answer(token, new FcmTestServer.Answer(404, "UNREGISTERED", null));
    cluster.publish(direct("sam", "rita", 2, "hi again"));
    await().atMost(SHORTLY).until(() -> device("rita", "android").isEmpty());
  }

  private static Optional<DeviceRegistration> device(String user, String device) {
    return cluster.registry.device(user, device).toCompletableFuture().join();
  }
}
