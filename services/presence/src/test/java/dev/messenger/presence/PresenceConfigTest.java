package dev.messenger.presence;

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
class PresenceConfigTest {
  private static final String KEY = "a-test-signing-key-of-at-least-32-bytes!";

  @Test
  void should_read_flags_and_environment() {
    Settings settings = Settings.forService(ServiceName.PRESENCE,
        new String[] {"--grpc-port=7401", "--grace=3s", "--instance-id=p-1", "--cql-keyspace=chat"},
        Map.of("MESSENGER_ONLINE_DELAY", "250ms", "MESSENGER_NAMESPACE", "staging"));

    PresenceConfig config = PresenceConfig.from(settings, dev.messenger.common.auth.TokenKeys.of(KEY));

    assertThat(config.grpcPort()).isEqualTo(7401);
    assertThat(config.metricsPort()).isEqualTo(9400);
    assertThat(config.grace()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.onlineDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.instanceId()).isEqualTo("p-1");
    assertThat(config.store().keyspace()).isEqualTo("chat");
    assertThat(config.subjects().namespace()).isEqualTo("staging");
    assertThat(config.partitions()).isEqualTo(64);
  }

  @Test
  void should_read_the_watch_rate_with_a_default_of_twenty() {
    Settings settings = Settings.forService(ServiceName.PRESENCE, new String[] {"--watch-rate=5"}, Map.of());

    assertThat(PresenceConfig.from(settings, dev.messenger.common.auth.TokenKeys.of(KEY)).watchRate()).isEqualTo(5);
    assertThat(PresenceConfig.defaults(KEY).watchRate()).isEqualTo(20);
    assertThatThrownBy(() -> PresenceConfig.defaults(KEY).withWatchRate(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_read_only_registered_settings() {
    Settings settings = Settings.forService(ServiceName.PRESENCE, new String[0], Map.of("MESSENGER_DEV_MODE", "true"));

    PresenceConfig.from(settings, TokenKeySource.keys(settings));
    InfraSettings.from(settings);
    assertThat(MetricsEndpoint.host(settings)).isEqualTo("127.0.0.1");
  }

  @Test
  void should_refuse_a_misspelled_setting_instead_of_ignoring_it() {
    assertThatThrownBy(() -> Settings.forService(ServiceName.PRESENCE, new String[] {"--grcae=3s"}, Map.of()))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("--grcae (did you mean --grace?)");
    assertThatThrownBy(() -> Settings.forService(ServiceName.PRESENCE, new String[] {"--shards=64"}, Map.of()))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("--shards is not a setting of the presence service");
    assertThatThrownBy(() -> Settings.forService(ServiceName.PRESENCE, new String[0],
            Map.of("MESSENGER_ONLINE_DELLAY", "1s")))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("did you mean MESSENGER_ONLINE_DELAY?");
  }

  @Test
  void should_pick_an_instance_id_and_refuse_nonsense() {
    assertThat(PresenceConfig.defaults(KEY).instanceId()).startsWith("presence-");
    assertThatThrownBy(() -> PresenceConfig.defaults(KEY).withPartitions(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PresenceConfig.defaults(KEY)
        .withTimings(Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
