package dev.messenger.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.config.Settings;
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
    Settings settings = Settings.of(
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
  void should_pick_an_instance_id_and_refuse_nonsense() {
    assertThat(PresenceConfig.defaults(KEY).instanceId()).startsWith("presence-");
    assertThatThrownBy(() -> PresenceConfig.defaults(KEY).withPartitions(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PresenceConfig.defaults(KEY)
        .withTimings(Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
