package dev.messenger.common.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Issues and verifies the signed tokens (JWT, HMAC-SHA256) that name a user and a device. The signing key
 * is configuration, shared by every service that verifies tokens.
 */
public final class Tokens {
  private static final String ISSUER = "messenger";
  private static final String DEVICE_CLAIM = "dev";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final Clock clock;

  public Tokens(String signingKey, Clock clock) {
    if (signingKey == null || signingKey.getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new IllegalArgumentException("the token signing key must have at least 32 bytes");
    }
    this.algorithm = Algorithm.HMAC256(signingKey);
    this.clock = clock;
    this.verifier = JWT.require(algorithm).withIssuer(ISSUER).withClaimPresence(DEVICE_CLAIM).build();
  }

  /** True when {@code id} is a valid user or device id: 1 to 64 of letters, digits, '.', '_', '@', '-'. */
  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** A token for {@code principal}, valid for {@code ttl}. */
  public String issue(Principal principal, Duration ttl) {
    if (!isValidId(principal.userId()) || !isValidId(principal.deviceId())) {
      throw new IllegalArgumentException("user and device ids must match " + ID.pattern());
    }
    Instant now = clock.instant();
    return JWT.create()
        .withIssuer(ISSUER)
        .withSubject(principal.userId())
        .withClaim(DEVICE_CLAIM, principal.deviceId())
        .withIssuedAt(now)
        .withExpiresAt(now.plus(ttl))
        .sign(algorithm);
  }

  /** The principal named by a valid, unexpired token; empty for anything else. */
  public Optional<Principal> verify(String token) {
    try {
      DecodedJWT jwt = verifier.verify(token);
      if (jwt.getExpiresAtAsInstant() == null || !jwt.getExpiresAtAsInstant().isAfter(clock.instant())) {
        return Optional.empty();
      }
      String user = jwt.getSubject();
      String device = jwt.getClaim(DEVICE_CLAIM).asString();
      if (!isValidId(user) || !isValidId(device)) {
        return Optional.empty();
      }
      return Optional.of(new Principal(user, device));
    } catch (JWTVerificationException e) {
      return Optional.empty();
    }
  }
}
