package dev.messenger.push.store;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.ApnsEnvironment;
import dev.messenger.api.v1.PushPlatform;

/**
 * A device's push registration. {@code registeredMs} identifies this registration: a send that the provider
 * rejects for a dead token removes the registration only if it still has the same token and time.
 */
public record DeviceRegistration(
    String userId,
    String deviceId,
    PushPlatform platform,
    ApnsEnvironment apnsEnvironment,
    String token,
    String appId,
    long registeredMs) {
  public DeviceRegistration {
    requireNonNull(userId, "userId");
    requireNonNull(deviceId, "deviceId");
    requireNonNull(platform, "platform");
    requireNonNull(apnsEnvironment, "apnsEnvironment");
    requireNonNull(token, "token");
    requireNonNull(appId, "appId");
  }
}
