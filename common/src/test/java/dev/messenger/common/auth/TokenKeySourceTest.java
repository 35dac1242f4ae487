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
}
