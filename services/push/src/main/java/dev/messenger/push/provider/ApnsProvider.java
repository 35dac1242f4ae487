package dev.messenger.push.provider;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import dev.messenger.api.v1.ApnsEnvironment;
import dev.messenger.push.decision.Notification;
import dev.messenger.push.store.DeviceRegistration;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * APNs over HTTP/2 with Pushy: one client per environment (sandbox, production), each holding its own
 * connections. A notification is an alert with the summary as title, the preview (if allowed) as body, the
 * unread count as badge, and the conversation's collapse id (apns-collapse-id) and thread id.
 */
public final class ApnsProvider implements PushProvider {
  private static final Duration EXPIRATION = Duration.ofDays(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  /** Reasons for which Apple tells the token will not work again. */
  private static final Set<String> INVALID_TOKEN = Set.of("Unregistered", "BadDeviceToken", "DeviceTokenNotForTopic");

  private final ApnsClient sandbox;
  private final ApnsClient production;

  public ApnsProvider(ApnsClient sandbox, ApnsClient production) {
    this.sandbox = sandbox;
    this.production = production;
  }

  @Override
  public String name() {
    return "apns";
  }

  @Override
  public CompletableFuture<SendResult> send(DeviceRegistration device, Notification notification) {
    SimpleApnsPayloadBuilder payload = new SimpleApnsPayloadBuilder();
    payload.setAlertTitle(notification.title());
    notification.body().ifPresent(payload::setAlertBody);
    payload.setBadgeNumber(notification.badge());
    payload.setSound("default");
    payload.setThreadId(notification.collapseId());
    payload.addCustomProperty("conversation_id", notification.conversationId());
    payload.addCustomProperty("seq", notification.seq());
    payload.addCustomProperty("count", notification.count());
    SimpleApnsPushNotification push = new SimpleApnsPushNotification(device.token(), device.appId(), payload.build(),
        Instant.now().plus(EXPIRATION), DeliveryPriority.IMMEDIATE, PushType.ALERT, notification.collapseId());
    ApnsClient client = device.apnsEnvironment() == ApnsEnvironment.APNS_ENVIRONMENT_SANDBOX ? sandbox : production;
    return client.sendNotification(push)
        .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .handle((response, error) -> error != null ? connectionFailure(error) : classify(response));
  }

  static SendResult classify(PushNotificationResponse<?> response) {
    if (response.isAccepted()) {
      return new SendResult.Accepted();
    }
    String reason = response.getRejectionReason().orElse("status_" + response.getStatusCode());
    int status = response.getStatusCode();
    if (status == 429 || status >= 500) {
      return new SendResult.Retryable(reason, Optional.empty());
    }
    return new SendResult.Rejected(reason, status == 410 || INVALID_TOKEN.contains(reason));
  }

  private static SendResult connectionFailure(Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    String reason = cause instanceof java.util.concurrent.TimeoutException ? "timeout" : "connection";
    return new SendResult.Retryable(reason, Optional.empty());
  }

  @Override
  public void close() {
    CompletableFuture.allOf(sandbox.close(), production.close()).orTimeout(5, TimeUnit.SECONDS)
        .exceptionally(error -> null).join();
  }
}
