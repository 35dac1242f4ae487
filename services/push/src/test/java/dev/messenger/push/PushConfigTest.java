package dev.messenger.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.auth.TokenKeySource;
import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import dev.messenger.common.config.UnknownSettingException;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.common.metrics.MetricsEndpoint;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PushConfigTest {
  @Test
  void should_read_only_registered_settings() {
    Settings settings = Settings.forService(ServiceName.PUSH, new String[] {"--delay=2s"},
        Map.of("MESSENGER_DEV_MODE", "true", "MESSENGER_WORKERS", "8"));

    PushConfig config = PushConfig.from(settings, TokenKeySource.keys(settings));
    InfraSettings.from(settings);

    assertThat(config.delay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.workers()).isEqualTo(8);
    assertThat(MetricsEndpoint.host(settings)).isEqualTo("127.0.0.1");
  }

  @Test
  void should_refuse_unknown_settings_instead_of_ignoring_them() {
    assertThatThrownBy(() -> Settings.forService(ServiceName.PUSH, new String[] {"--max-deferal=10s"}, Map.of()))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("--max-deferal (did you mean --max-deferral?)");
    assertThatThrownBy(() -> Settings.forService(ServiceName.PUSH, new String[0],
            Map.of("MESSENGER_APNS_KEYFILE", "/k.p8")))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("did you mean MESSENGER_APNS_KEY_FILE?");
  }
}
