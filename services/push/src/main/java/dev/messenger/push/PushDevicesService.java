package dev.messenger.push;

import dev.messenger.api.v1.ApnsEnvironment;
import dev.messenger.api.v1.PushDevicesGrpc;
import dev.messenger.api.v1.PushPlatform;
import dev.messenger.api.v1.RegisterDeviceRequest;
import dev.messenger.api.v1.RegisterDeviceResponse;
import dev.messenger.api.v1.SetConversationMuteRequest;
import dev.messenger.api.v1.SetConversationMuteResponse;
import dev.messenger.api.v1.SetPushPreferencesRequest;
import dev.messenger.api.v1.SetPushPreferencesResponse;
import dev.messenger.api.v1.UnregisterDeviceRequest;
import dev.messenger.api.v1.UnregisterDeviceResponse;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.push.store.DeviceRegistration;
import dev.messenger.push.store.DeviceRegistry;
import dev.messenger.push.store.PushSettings;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The public PushDevices API: every call acts on the caller's own user and device, from the token. */
final class PushDevicesService extends PushDevicesGrpc.PushDevicesImplBase {
  static final int MAX_TOKEN_CHARS = 4096;
  static final int MAX_APP_ID_CHARS = 255;
  static final int MAX_CONVERSATION_ID_CHARS = 200;
  private static final Logger log = LoggerFactory.getLogger(PushDevicesService.class);
  private static final Pattern APNS_TOKEN = Pattern.compile("[0-9a-fA-F]{16,200}");
  private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]+");

  private final DeviceRegistry registry;
  private final PushSettings settings;
  private final Clock clock;

  PushDevicesService(DeviceRegistry registry, PushSettings settings, Clock clock) {
    this.registry = registry;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public void registerDevice(RegisterDeviceRequest request, StreamObserver<RegisterDeviceResponse> responses) {
    Principal caller = Principal.current();
    PushPlatform platform = request.getPlatform();
    if (platform != PushPlatform.PUSH_PLATFORM_APNS && platform != PushPlatform.PUSH_PLATFORM_FCM) {
      throw ApiErrors.invalidArgument("INVALID_PLATFORM", "platform must be PUSH_PLATFORM_APNS or PUSH_PLATFORM_FCM");
    }
    String token = request.getToken();
    if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS || !PRINTABLE.matcher(token).matches()
        || (platform == PushPlatform.PUSH_PLATFORM_APNS && !APNS_TOKEN.matcher(token).matches())) {
      throw ApiErrors.invalidArgument("INVALID_TOKEN", platform == PushPlatform.PUSH_PLATFORM_APNS
          ? "an APNs token is 16 to 200 hexadecimal characters"
          : "a token is 1 to " + MAX_TOKEN_CHARS + " printable ASCII characters");
    }
    String appId = request.getAppId();
    if (appId.isEmpty() || appId.length() > MAX_APP_ID_CHARS || !PRINTABLE.matcher(appId).matches()) {
      throw ApiErrors.invalidArgument("INVALID_APP_ID",
          "app_id is 1 to " + MAX_APP_ID_CHARS + " printable ASCII characters");
    }
    ApnsEnvironment environment = request.getApnsEnvironment();
    boolean apns = platform == PushPlatform.PUSH_PLATFORM_APNS;
    boolean known = environment == ApnsEnvironment.APNS_ENVIRONMENT_SANDBOX
        || environment == ApnsEnvironment.APNS_ENVIRONMENT_PRODUCTION;
    if (apns != known) {
      throw ApiErrors.invalidArgument("INVALID_APNS_ENVIRONMENT", apns
          ? "an APNs registration needs apns_environment SANDBOX or PRODUCTION"
          : "apns_environment must be unspecified for FCM");
    }
    DeviceRegistration registration = new DeviceRegistration(caller.userId(), caller.deviceId(), platform,
        environment, token, appId, clock.millis());
    reply(registry.register(registration), responses, RegisterDeviceResponse.getDefaultInstance());
  }

  @Override
  public void unregisterDevice(UnregisterDeviceRequest request, StreamObserver<UnregisterDeviceResponse> responses) {
    Principal caller = Principal.current();
    reply(registry.unregister(caller.userId(), caller.deviceId()), responses,
        UnregisterDeviceResponse.getDefaultInstance());
  }

  @Override
  public void setConversationMute(SetConversationMuteRequest request,
      StreamObserver<SetConversationMuteResponse> responses) {
    Principal caller = Principal.current();
    String conversation = request.getConversationId();
    if (!isConversationId(conversation)) {
      throw ApiErrors.invalidArgument("INVALID_CONVERSATION_ID",
          "conversation_id must be \"dm:<a>:<b>\" or \"g:<id>\", at most " + MAX_CONVERSATION_ID_CHARS + " characters");
    }
    long until;
    if (request.getForever()) {
      until = PushSettings.FOREVER;
    } else if (request.getMutedUntilMs() == 0) {
      until = 0;
    } else if (request.getMutedUntilMs() <= clock.millis()) {
      throw ApiErrors.invalidArgument("INVALID_MUTE_UNTIL", "muted_until_ms must be in the future, or 0 to unmute");
    } else {
      until = request.getMutedUntilMs();
    }
    reply(settings.setMute(caller.userId(), conversation, until), responses,
        SetConversationMuteResponse.getDefaultInstance());
  }

  @Override
  public void setPushPreferences(SetPushPreferencesRequest request,
      StreamObserver<SetPushPreferencesResponse> responses) {
    Principal caller = Principal.current();
    reply(settings.setShowPreviews(caller.userId(), request.getShowPreviews()), responses,
        SetPushPreferencesResponse.getDefaultInstance());
  }

  static boolean isConversationId(String id) {
    return id.length() <= MAX_CONVERSATION_ID_CHARS && PRINTABLE.matcher(id).matches()
        && ((id.startsWith("dm:") && id.indexOf(':', 3) > 3) || (id.startsWith("g:") && id.length() > 2));
  }

  private static <T> void reply(CompletionStage<Void> write, StreamObserver<T> responses, T response) {
    write.whenComplete((done, error) -> {
      if (error != null) {
        log.warn("push store write failed: {}", error.toString());
        responses.onError(ApiErrors.toClientError(error));
      } else {
        responses.onNext(response);
        responses.onCompleted();
      }
    });
  }
}
