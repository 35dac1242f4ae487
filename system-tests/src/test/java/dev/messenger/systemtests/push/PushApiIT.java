package dev.messenger.systemtests.push;

import static dev.messenger.systemtests.push.PushCluster.apnsDevice;
import static dev.messenger.systemtests.push.PushCluster.fcmDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.messenger.api.v1.ApnsEnvironment;
import dev.messenger.api.v1.PushDevicesGrpc;
import dev.messenger.api.v1.PushPlatform;
import dev.messenger.api.v1.RegisterDeviceRequest;
import dev.messenger.api.v1.SetConversationMuteRequest;
import dev.messenger.api.v1.UnregisterDeviceRequest;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.push.PushNode;
import dev.messenger.push.store.DeviceRegistration;
import dev.messenger.push.store.PushSettings;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PushDevices API: the caller's own device only, stored in the CQL store, precise statuses for bad input. */
@WithRealInfrastructure
@ExtendWith(PushKeyspace.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PushApiIT {
  private static PushCluster cluster;
  private static PushNode push;

  @BeforeAll
  static void start(PushKeyspace.Shared shared) throws Exception {
    cluster = PushCluster.create(shared);
    push = cluster.startPush("push-api", new PrometheusRegistry(), config -> config);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_store_the_callers_device_and_replace_it_on_registering_again() {
    PushDevicesGrpc.PushDevicesBlockingStub uma = cluster.devices(push, "uma", "phone");
    uma.registerDevice(apnsDevice("0123456789abcdef0123456789abcdef"));
    DeviceRegistration first = device("uma", "phone").orElseThrow();
    assertThat(first.platform()).isEqualTo(PushPlatform.PUSH_PLATFORM_APNS);
    assertThat(first.apnsEnvironment()).isEqualTo(ApnsEnvironment.APNS_ENVIRONMENT_SANDBOX);
    assertThat(first.appId()).isEqualTo(PushCluster.TOPIC);

    uma.registerDevice(fcmDevice("fcm-token-of-uma"));
    DeviceRegistration second = device("uma", "phone").orElseThrow();
    assertThat(second.platform()).isEqualTo(PushPlatform.PUSH_PLATFORM_FCM);
    assertThat(second.token()).isEqualTo("fcm-token-of-uma");
    assertThat(second.apnsEnvironment()).isEqualTo(ApnsEnvironment.APNS_ENVIRONMENT_UNSPECIFIED);
    assertThat(cluster.registry.devices("uma").toCompletableFuture().join()).hasSize(1);

    cluster.devices(push, "uma", "laptop").unregisterDevice(UnregisterDeviceRequest.getDefaultInstance());
    assertThat(device("uma", "phone")).as("another device's unregister leaves this one").isPresent();
    uma.unregisterDevice(UnregisterDeviceRequest.getDefaultInstance());
    uma.unregisterDevice(UnregisterDeviceRequest.getDefaultInstance());
    assertThat(device("uma", "phone")).isEmpty();
  }

  @Test
  void should_answer_bad_registrations_with_invalid_argument_and_a_reason() {
    PushDevicesGrpc.PushDevicesBlockingStub vic = cluster.devices(push, "vic", "phone");
    assertRejected("INVALID_PLATFORM", () -> vic.registerDevice(fcmDevice("t").toBuilder()
        .setPlatform(PushPlatform.PUSH_PLATFORM_UNSPECIFIED).build()));
    assertRejected("INVALID_TOKEN", () -> vic.registerDevice(apnsDevice("not-hex-at-all!")));
    assertRejected("INVALID_TOKEN", () -> vic.registerDevice(fcmDevice("")));
    assertRejected("INVALID_TOKEN", () -> vic.registerDevice(fcmDevice("x".repeat(4097))));
    assertRejected("INVALID_APP_ID", () -> vic.registerDevice(fcmDevice("t").toBuilder().setAppId("").build()));
    assertRejected("INVALID_APNS_ENVIRONMENT", () -> vic.registerDevice(RegisterDeviceRequest.newBuilder()
        .setPlatform(PushPlatform.PUSH_PLATFORM_APNS).setToken("0123456789abcdef").setAppId("a").build()));
    assertRejected("INVALID_APNS_ENVIRONMENT", () -> vic.registerDevice(fcmDevice("t").toBuilder()
        .setApnsEnvironment(ApnsEnvironment.APNS_ENVIRONMENT_PRODUCTION).build()));
    assertThat(device("vic", "phone")).isEmpty();
  }

  @Test
  void should_mute_until_a_time_in_the_future_and_reject_the_past() {
    PushDevicesGrpc.PushDevicesBlockingStub wes = cluster.devices(push, "wes", "phone");
    long until = System.currentTimeMillis() + 3_600_000;
    wes.setConversationMute(SetConversationMuteRequest.newBuilder().setConversationId("g:book-club")
        .setMutedUntilMs(until).build());
    PushSettings settings = new PushSettings(cluster.cql, cluster.store);
    assertThat(settings.mutedUntil("wes", "g:book-club").toCompletableFuture().join()).isEqualTo(until);
    assertThat(settings.mutedUntil("xena", "g:book-club").toCompletableFuture().join()).isZero();

    assertRejected("INVALID_MUTE_UNTIL", () -> wes.setConversationMute(SetConversationMuteRequest.newBuilder()
        .setConversationId("g:book-club").setMutedUntilMs(1000).build()));
    assertRejected("INVALID_CONVERSATION_ID", () -> wes.setConversationMute(SetConversationMuteRequest.newBuilder()
        .setConversationId("book club").setForever(true).build()));
    assertThat(settings.mutedUntil("wes", "g:book-club").toCompletableFuture().join()).isEqualTo(until);
  }

  @Test
  void should_refuse_calls_without_a_token() {
    StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
        () -> cluster.anonymous(push).registerDevice(fcmDevice("t")));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  private static void assertRejected(String reason, Runnable call) {
    StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(error).as(reason).isNotNull();
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(ApiErrors.reasonOf(error)).isEqualTo(reason);
  }

  private static Optional<DeviceRegistration> device(String user, String device) {
    return cluster.registry.device(user, device).toCompletableFuture().join();
  }
}
