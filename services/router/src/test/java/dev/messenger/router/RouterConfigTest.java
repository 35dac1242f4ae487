package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import dev.messenger.common.config.UnknownSettingException;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.common.metrics.MetricsEndpoint;
import dev.messenger.history.store.HistoryConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RouterConfigTest {
  @Test
  void should_read_flags_and_environment() {
    RouterConfig config = RouterConfig.from(Settings.forService(ServiceName.ROUTER,
        new String[] {"--router-id=r-7", "--shards=128"}, Map.of("MESSENGER_LEASE_TTL", "4s")));

    assertThat(config.routerId()).isEqualTo("r-7");
    assertThat(config.shards()).isEqualTo(128);
    assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(4));
    assertThat(config.fenceByLease()).as("every commit reads the epoch unless told otherwise").isFalse();
  }

  @Test
  void should_trust_the_lease_only_when_told_to() {
    assertThat(RouterConfig.from(Settings.forService(ServiceName.ROUTER, new String[] {"--fence=lease"}, Map.of()))
        .fenceByLease()).isTrue();
    assertThatThrownBy(() -> RouterConfig.from(
            Settings.forService(ServiceName.ROUTER, new String[0], Map.of("MESSENGER_FENCE", "clock"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fence must be lease or read, not clock");
  }

  @Test
  void should_read_only_registered_settings() {
    Settings settings = Settings.forService(ServiceName.ROUTER, new String[0], Map.of());

    RouterConfig.from(settings);
    HistoryConfig.from(settings);
    InfraSettings.from(settings);
    assertThat(MetricsEndpoint.host(settings)).isEqualTo("127.0.0.1");
  }

  @Test
  void should_refuse_unknown_settings_instead_of_ignoring_them() {
    assertThatThrownBy(() -> Settings.forService(ServiceName.ROUTER, new String[] {"--worker-thread=8"}, Map.of()))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("--worker-thread (did you mean --worker-threads?)");
    assertThatThrownBy(() -> Settings.forService(ServiceName.ROUTER, new String[] {"--token-key=k"}, Map.of()))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("--token-key is not a setting of the router service");
    assertThatThrownBy(() -> Settings.forService(ServiceName.ROUTER, new String[0],
            Map.of("MESSENGER_RECONCILE_INTERVALL", "1s")))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("did you mean MESSENGER_RECONCILE_INTERVAL?");
  }
}
