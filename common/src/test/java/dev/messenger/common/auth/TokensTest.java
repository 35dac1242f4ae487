package dev.messenger.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {
  private static final String OLD = "the-key-of-last-year-at-least-32-bytes!!";
  private static final String NEW = "the-key-of-this-year-at-least-32-bytes!!";
  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  private static final Principal ALICE = new Principal("alice", "phone");

  private static Tokens at(Instant time, TokenKeys keys) {
    return new Tokens(keys, Clock.fixed(time, ZoneOffset.UTC));
  }

  @Test
  void should_name_its_key_in_every_token() {
    String token = at(NOW, TokenKeys.of(NEW)).issue(ALICE, Duration.ofHours(1));

    assertThat(JWT.decode(token).getKeyId()).isEqualTo(TokenKeys.idOf(NEW)).isNotEqualTo(TokenKeys.idOf(OLD));
  }

  @Test
  void should_accept_tokens_of_a_retired_key_until_its_time_is_up_then_refuse_them() {
    String signedBefore = at(NOW, TokenKeys.of(OLD)).issue(ALICE, Duration.ofDays(30));
    TokenKeys rotated = new TokenKeys(NEW, List.of(new TokenKeys.RetiredKey(OLD, NOW.plus(Duration.ofDays(7)))));

    assertThat(at(NOW.plus(Duration.ofDays(6)), rotated).verify(signedBefore)).contains(ALICE);
    assertThat(at(NOW.plus(Duration.ofDays(7)), rotated).verify(signedBefore)).isEmpty();
    assertThat(at(NOW, TokenKeys.of(NEW)).verify(signedBefore)).as("a key that was never configured").isEmpty();
    assertThat(at(NOW, rotated).verify(at(NOW, rotated).issue(ALICE, Duration.ofHours(1)))).contains(ALICE);
  }

  @Test
  void should_refuse_a_token_that_names_one_key_but_is_signed_with_another() {
    String forged = JWT.create().withKeyId(TokenKeys.idOf(NEW)).withIssuer("messenger").withSubject("alice")
        .withClaim("dev", "phone").withExpiresAt(NOW.plus(Duration.ofHours(1))).sign(Algorithm.HMAC256(OLD));
    TokenKeys rotated = new TokenKeys(NEW, List.of(new TokenKeys.RetiredKey(OLD, NOW.plus(Duration.ofDays(7)))));

    assertThat(at(NOW, rotated).verify(forged)).isEmpty();
  }

  @Test
  void should_verify_a_token_without_a_key_id_with_the_signing_key_only() {
    String legacy = JWT.create().withIssuer("messenger").withSubject("alice").withClaim("dev", "phone")
        .withExpiresAt(NOW.plus(Duration.ofHours(1))).sign(Algorithm.HMAC256(OLD));
    TokenKeys rotated = new TokenKeys(NEW, List.of(new TokenKeys.RetiredKey(OLD, NOW.plus(Duration.ofDays(7)))));

    assertThat(at(NOW, TokenKeys.of(OLD)).verify(legacy)).contains(ALICE);
    assertThat(at(NOW, rotated).verify(legacy)).isEmpty();
  }
}
