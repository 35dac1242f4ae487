package dev.messenger.push.provider;

import dev.messenger.push.decision.Notification;
import dev.messenger.push.store.DeviceRegistration;
import java.util.concurrent.CompletableFuture;

/** Sends notifications through one provider (APNs or FCM). Implementations never complete exceptionally. */
public interface PushProvider extends AutoCloseable {
  /** The provider's metric label: {@code apns} or {@code fcm}. */
  String name();

  CompletableFuture<SendResult> send(DeviceRegistration device, Notification notification);

  @Override
  void close();
}
