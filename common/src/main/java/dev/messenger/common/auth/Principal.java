package dev.messenger.common.auth;

import static java.util.Objects.requireNonNull;

import io.grpc.Context;

/** The authenticated user and device of a call, taken from its signed token. */
public record Principal(String userId, String deviceId) {
  /** Where {@link AuthInterceptor} puts the caller. */
  public static final Context.Key<Principal> CONTEXT_KEY = Context.key("messenger-principal");

  public Principal {
    requireNonNull(userId, "userId");
    requireNonNull(deviceId, "deviceId");
  }

  /** The caller of the current call; only valid inside a call that passed {@link AuthInterceptor}. */
  public static Principal current() {
    Principal principal = CONTEXT_KEY.get();
    if (principal == null) {
      throw new IllegalStateException("no authenticated principal in this context");
    }
    return principal;
  }
}
