package dev.messenger.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenKeySourceTest {
  @Test
  void should_refuse_to_start_without_a_key_outside_development_mode() {
    assertThatThrownBy(() -> TokenKeySource.resolve(Settings.of(new String[0], Map.of())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("MESSENGER_TOKEN_KEY");
    assertThatThrownBy(() -> TokenKeySource.resolve(Settings.of(new String[0], Map.of("MESSENGER_DEV_MODE", "no"))))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void should_use_the_development_key_only_in_development_mode() {
    assertThat(TokenKeySource.resolve(Settings.of(new String[0], Map.of("MESSENGER_DEV_MODE", "true"))))
        .isEqualTo(DevDefaults.TOKEN_KEY);
    assertThat(TokenKeySource.resolve(Settings.of(new String[] {"--dev-mode=1"}, Map.of())))
        .isEqualTo(DevDefaults.TOKEN_KEY);
  }

  @Test
  void should_prefer_the_configured_key() {
    assertThat(TokenKeySource.resolve(Settings.of(new String[0],
        Map.of("MESSENGER_TOKEN_KEY", "a-deployment-key-of-at-least-32-bytes!", "MESSENGER_DEV_MODE", "true"))))
        .isEqualTo("a-deployment-key-of-at-least-32-bytes!");
  }

  @Test
  void should_read_a_retired_key_with_the_time_it_is_accepted_until() {
    Map<String, String> env = Map.of("MESSENGER_TOKEN_KEY", "a-deployment-key-of-at-least-32-bytes!",
        "MESSENGER_TOKEN_PREVIOUS_KEY", "the-key-before-it-of-at-least-32-bytes!",
        "MESSENGER_TOKEN_PREVIOUS_KEY_UNTIL", "2026-12-31T00:00:00Z");

    TokenKeys keys = TokenKeySource.keys(Settings.of(new String[0], env));

    assertThat(keys.signing()).isEqualTo("a-deployment-key-of-at-least-32-bytes!");
    assertThat(keys.retired()).containsExactly(new TokenKeys.RetiredKey("the-key-before-it-of-at-least-32-bytes!",
        java.time.Instant.parse("2026-12-31T00:00:00Z")));
    assertThat(keys.toString()).doesNotContain("deployment-key", "key-before");
  }

  @Test
  void should_refuse_a_retired_key_without_an_end() {
    assertThatThrownBy(() -> TokenKeySource.keys(Settings.of(new String[0], Map.of(
        "MESSENGER_TOKEN_KEY", "a-deployment-key-of-at-least-32-bytes!",
        "MESSENGER_TOKEN_PREVIOUS_KEY", "the-key-before-it-of-at-least-32-bytes!"))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("MESSENGER_TOKEN_PREVIOUS_KEY_UNTIL");
    assertThatThrownBy(() -> TokenKeySource.keys(Settings.of(new String[0], Map.of(
        "MESSENGER_TOKEN_KEY", "a-deployment-key-of-at-least-32-bytes!",
        "MESSENGER_TOKEN_PREVIOUS_KEY", "the-key-before-it-of-at-least-32-bytes!",
        "MESSENGER_TOKEN_PREVIOUS_KEY_UNTIL", "next tuesday"))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ISO-8601");
  }
}
