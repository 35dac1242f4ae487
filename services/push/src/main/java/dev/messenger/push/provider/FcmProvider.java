package dev.messenger.push.provider;

import com.google.api.client.http.HttpTransport;
import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.AndroidNotification;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import dev.messenger.push.decision.Notification;
import dev.messenger.push.store.DeviceRegistration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * FCM HTTP v1 through the Firebase Admin SDK, authenticated with a service account file. The SDK itself
 * retries 503 answers a few times (honouring Retry-After) before it reports a failure; what it gives up on,
 * and 429 and other 5xx, come back as {@link SendResult.Retryable} for the service's own retry policy.
 */
public final class FcmProvider implements PushProvider {
  private final FirebaseApp app;
  private final FirebaseMessaging messaging;
  private final Clock clock;

  private FcmProvider(FirebaseApp app, Clock clock) {
    this.app = app;
    this.messaging = FirebaseMessaging.getInstance(app);
    this.clock = clock;
  }

  /**
   * A provider for the project of the service account in {@code credentialsFile}. {@code transport} carries
   * every HTTP request of the SDK, the OAuth token exchange and the sends (through the SDK's HttpTransport
   * option); see {@link ProviderFactory#fcmTransport}.
   */
  public static FcmProvider create(Path credentialsFile, HttpTransport transport) throws IOException {
    GoogleCredentials credentials;
    try (InputStream in = Files.newInputStream(credentialsFile)) {
      credentials = GoogleCredentials.fromStream(in, () -> transport);
    }
    credentials = credentials.createScoped(List.of("https://www.googleapis.com/auth/firebase.messaging"));
    FirebaseOptions options = FirebaseOptions.builder().setCredentials(credentials).setHttpTransport(transport)
        .build();
    FirebaseApp app = FirebaseApp.initializeApp(options, "messenger-push-" + UUID.randomUUID());
    return new FcmProvider(app, Clock.systemUTC());
  }

  @Override
  public String name() {
    return "fcm";
  }

  // Message.Builder.setToken is deprecated since 9.10 in favour of Firebase Installation ids (setFid); apps
  // register FCM registration tokens, which FCM v1 still takes in "token".
  @SuppressWarnings("deprecation")
  @Override
  public CompletableFuture<SendResult> send(DeviceRegistration device, Notification notification) {
    com.google.firebase.messaging.Notification.Builder shown =
        com.google.firebase.messaging.Notification.builder().setTitle(notification.title());
    notification.body().ifPresent(shown::setBody);
    Message message = Message.builder()
        .setToken(device.token())
        .setNotification(shown.build())
        .setAndroidConfig(AndroidConfig.builder()
            .setCollapseKey(notification.collapseId())
            .setPriority(AndroidConfig.Priority.HIGH)
            .setNotification(AndroidNotification.builder()
                .setTag(notification.collapseId())
                .setNotificationCount(notification.badge())
                .build())
            .build())
        .putData("conversation_id", notification.conversationId())
        .putData("seq", Long.toString(notification.seq()))
        .putData("count", Integer.toString(notification.count()))
        .build();
    CompletableFuture<SendResult> result = new CompletableFuture<>();
    ApiFuture<String> sent;
    try {
      sent = messaging.sendAsync(message);
    } catch (RuntimeException e) {
      result.complete(new SendResult.Rejected("invalid_message", false));
      return result;
    }
    ApiFutures.addCallback(sent, new ApiFutureCallback<>() {
      @Override
      public void onSuccess(String messageName) {
        result.complete(new SendResult.Accepted());
      }

      @Override
      public void onFailure(Throwable error) {
        result.complete(classify(error));
      }
    }, MoreExecutors.directExecutor());
    return result;
  }

  private SendResult classify(Throwable error) {
    if (!(error instanceof FirebaseMessagingException e)) {
      return new SendResult.Retryable("connection", Optional.empty());
    }
    IncomingHttpResponse response = e.getHttpResponse();
    int status = response == null ? 0 : response.getStatusCode();
    MessagingErrorCode code = e.getMessagingErrorCode();
    String reason = code != null ? code.name() : e.getErrorCode().name();
    if (code == MessagingErrorCode.UNREGISTERED || status == 404) {
      return new SendResult.Rejected(reason, true);
    }
    if (status == 0 || status == 429 || status >= 500 || code == MessagingErrorCode.QUOTA_EXCEEDED
        || code == MessagingErrorCode.UNAVAILABLE || code == MessagingErrorCode.INTERNAL) {
      return new SendResult.Retryable(reason, RetryAfter.parse(header(response, "retry-after"), clock));
    }
    return new SendResult.Rejected(reason, false);
  }

  private static String header(IncomingHttpResponse response, String name) {
    if (response == null) {
      return null;
    }
    for (Map.Entry<String, Object> entry : response.getHeaders().entrySet()) {
      if (entry.getKey().equalsIgnoreCase(name)) {
        Object value = entry.getValue();
        if (value instanceof List<?> list) {
          return list.isEmpty() ? null : String.valueOf(list.get(0));
        }
        return value == null ? null : value.toString();
      }
    }
    return null;
  }

  @Override
  public void close() {
    app.delete();
  }
}
