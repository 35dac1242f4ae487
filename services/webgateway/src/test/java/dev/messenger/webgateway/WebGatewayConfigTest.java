package dev.messenger.webgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.auth.TokenKeySource;
import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import dev.messenger.common.config.UnknownSettingException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WebGatewayConfigTest {
  @Test
  void should_read_only_registered_settings() {
    Settings settings = Settings.forService(ServiceName.WEBGATEWAY,
        new String[] {"--port=8100", "--session-targets=a:1,b:2"},
        Map.of("MESSENGER_DEV_MODE", "true", "MESSENGER_GRPC_PORT", "7100"));

    WebGatewayConfig config = WebGatewayConfig.from(settings, TokenKeySource.keys(settings));

    assertThat(config.port()).isEqualTo(8100);
    assertThat(config.sessionTargets()).isEqualTo(List.of("a:1", "b:2"));
  }

  @Test
  void should_refuse_unknown_settings_instead_of_ignoring_them() {
    assertThatThrownBy(() -> Settings.forService(ServiceName.WEBGATEWAY, new String[] {"--session-target=a:1"},
            Map.of()))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("--session-target (did you mean --session-targets?)");
    assertThatThrownBy(() -> Settings.forService(ServiceName.WEBGATEWAY, new String[] {"--grpc-port=7100"},
            Map.of()))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("--grpc-port is not a setting of the webgateway service");
  }
}
