package dev.messenger.common.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The token keys of a deployment: the one that signs, and retired ones that still verify until a given
 * time, so a key can be rotated without signing everyone out. A token names its key by an id derived from
 * the key itself, so services agree on ids without configuring them.
 *
 * @param signing the key new tokens are signed with (at least 32 bytes)
 * @param retired earlier keys and until when tokens signed with them are accepted
 */
public record TokenKeys(String signing, List<RetiredKey> retired) {
  /** A key no longer used for signing whose tokens are accepted until {@code acceptedUntil}. */
  public record RetiredKey(String key, Instant acceptedUntil) {
    public RetiredKey {
      requireLongEnough(key);
      requireNonNull(acceptedUntil, "acceptedUntil");
    }

    @Override
    public String toString() {
      return "RetiredKey[" + idOf(key) + " until " + acceptedUntil + "]";
    }
  }

  public TokenKeys {
    requireLongEnough(signing);
    retired = List.copyOf(retired);
  }

  /** Just one key, nothing retired. */
  public static TokenKeys of(String signing) {
    return new TokenKeys(signing, List.of());
  }

  /** True when the signing key is the public development key. */
  public boolean isDevelopmentKey() {
    return signing.equals(DevDefaults.TOKEN_KEY);
  }

  /** The id a token carries for {@code key}: "k" and the first 12 hex digits of its SHA-256. */
  public static String idOf(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "k" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static void requireLongEnough(String key) {
    if (key == null || key.getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new IllegalArgumentException("a token key must have at least 32 bytes");
    }
  }

  @Override
  public String toString() {
    return "TokenKeys[signing " + idOf(signing) + ", retired " + retired.stream().map(r -> idOf(r.key()) + " until "
        + r.acceptedUntil()).toList() + "]";
  }
}
