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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Issues and verifies the signed tokens (JWT, HMAC-SHA256) that name a user and a device. The keys are
 * configuration shared by every service that verifies tokens ({@link TokenKeys}); each token names its key
 * ({@code kid}), so retired keys keep verifying for a while after a rotation.
 */
public final class Tokens {
  private static final String ISSUER = "messenger";
  private static final String DEVICE_CLAIM = "dev";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  private final Algorithm algorithm;
  private final String keyId;
  private final JWTVerifier verifier;
  private final Map<String, Retired> retired = new HashMap<>();
  private final Clock clock;

  public Tokens(String signingKey, Clock clock) {
    this(TokenKeys.of(signingKey), clock);
  }

  public Tokens(TokenKeys keys, Clock clock) {
    this.clock = clock;
    this.algorithm = Algorithm.HMAC256(keys.signing());
    this.keyId = TokenKeys.idOf(keys.signing());
    this.verifier = verifierOf(algorithm);
    for (TokenKeys.RetiredKey key : keys.retired()) {
      retired.put(TokenKeys.idOf(key.key()),
          new Retired(verifierOf(Algorithm.HMAC256(key.key())), key.acceptedUntil()));
    }
  }

  /** A verifier whose time checks (expiry, issued-at) use this instance's clock, not the system's. */
  private JWTVerifier verifierOf(Algorithm algorithm) {
    return ((JWTVerifier.BaseVerification) JWT.require(algorithm).withIssuer(ISSUER).withClaimPresence(DEVICE_CLAIM))
        .build(clock);
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
        .withKeyId(keyId)
        .withIssuer(ISSUER)
        .withSubject(principal.userId())
        .withClaim(DEVICE_CLAIM, principal.deviceId())
        .withIssuedAt(now)
        .withExpiresAt(now.plus(ttl))
        .sign(algorithm);
  }

  /**
   * The verifier of the key a token names: the signing key (also for tokens from before key ids), a retired
   * key until its time is up, none for anything else.
   */
  private JWTVerifier verifierFor(String tokenKeyId) {
    if (tokenKeyId == null || tokenKeyId.equals(keyId)) {
      return verifier;
    }
    Retired old = retired.get(tokenKeyId);
    if (old == null || !clock.instant().isBefore(old.acceptedUntil())) {
      throw new JWTVerificationException("unknown or expired key " + tokenKeyId);
    }
    return old.verifier();
  }

  private record Retired(JWTVerifier verifier, Instant acceptedUntil) {}

  /** The principal named by a valid, unexpired token; empty for anything else. */
  public Optional<Principal> verify(String token) {
    try {
      DecodedJWT decoded = JWT.decode(token);
      DecodedJWT jwt = verifierFor(decoded.getKeyId()).verify(decoded);
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
