package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.auth.TokenKeySource;
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
class SessionConfigTest {
  private static final Map<String, String> DEV = Map.of("MESSENGER_DEV_MODE", "true");

  @Test
  void should_read_flags_and_environment() {
    Settings settings = Settings.forService(ServiceName.SESSION, new String[] {"--shards=16", "--send-rate=50"},
        Map.of("MESSENGER_DEV_MODE", "true", "MESSENGER_LEASE_TTL", "3s", "MESSENGER_NAMESPACE", "staging"));

    SessionConfig config = SessionConfig.from(settings, TokenKeySource.keys(settings));

    assertThat(config.shards()).isEqualTo(16);
    assertThat(config.sendRatePerSecond()).isEqualTo(50);
    assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.subjects().namespace()).isEqualTo("staging");
  }

  @Test
  void should_read_how_fast_streams_move_and_turn_rebalancing_off_with_zero() {
    Settings settings = Settings.forService(ServiceName.SESSION,
        new String[] {"--drain-rate=300", "--drain-grace=20s"}, Map.of("MESSENGER_DEV_MODE", "true",
            "MESSENGER_REBALANCE_RATE", "0"));

    SessionConfig config = SessionConfig.from(settings, TokenKeySource.keys(settings));

    assertThat(config.moves()).isEqualTo(new StreamMoves(Duration.ofSeconds(20), 300, 0));
    assertThat(StreamMoves.defaults().rebalanceRate()).isPositive();
    assertThatThrownBy(() -> config.withRebalanceRate(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_read_only_registered_settings() {
    Settings settings = Settings.forService(ServiceName.SESSION, new String[0], DEV);

    SessionConfig.from(settings, TokenKeySource.keys(settings));
    HistoryConfig.from(settings);
    InfraSettings.from(settings);
    assertThat(MetricsEndpoint.host(settings)).isEqualTo("127.0.0.1");
  }

  @Test
  void should_refuse_a_misspelled_flag_instead_of_ignoring_it() {
    assertThatThrownBy(() -> Settings.forService(ServiceName.SESSION, new String[] {"--send-rat=5"}, DEV))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("--send-rat (did you mean --send-rate?)");
    assertThatThrownBy(() -> Settings.forService(ServiceName.SESSION, new String[] {"--workers=4"}, DEV))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("--workers is not a setting of the session service (read by push)");
  }

  @Test
  void should_refuse_an_unknown_messenger_variable_but_not_another_services() {
    assertThatThrownBy(() -> Settings.forService(ServiceName.SESSION, new String[0],
            Map.of("MESSENGER_DEV_MODE", "true", "MESSENGER_SHRADS", "32")))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("MESSENGER_SHRADS (did you mean MESSENGER_SHARDS?)");

    Settings settings = Settings.forService(ServiceName.SESSION, new String[0],
        Map.of("MESSENGER_DEV_MODE", "true", "MESSENGER_PARTITIONS", "32", "MESSENGER_PUSH_TARGET", "x:1"));
    assertThat(SessionConfig.from(settings, TokenKeySource.keys(settings)).shards()).isEqualTo(64);
  }
}
