package dev.messenger.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SettingsTest {
  private static final String[] NO_FLAGS = new String[0];

  @Test
  void should_refuse_a_misspelled_flag_and_name_the_intended_one() {
    assertThatThrownBy(() -> Settings.forService(ServiceName.SESSION, new String[] {"--grpc-prot=7100"}, Map.of()))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("session")
        .hasMessageContaining("--grpc-prot")
        .hasMessageContaining("did you mean --grpc-port?");
  }

  @Test
  void should_refuse_a_flag_of_another_service_and_say_whose_it_is() {
    assertThatThrownBy(() -> Settings.forService(ServiceName.SESSION, new String[] {"--delay=3s"}, Map.of()))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("--delay is not a setting of the session service (read by push)");
  }

  @Test
  void should_refuse_a_flag_nothing_resembles_without_a_guess() {
    assertThatThrownBy(() -> Settings.forService(ServiceName.ROUTER, new String[] {"--colour=blue"}, Map.of()))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("unknown flag --colour")
        .hasMessageNotContaining("did you mean");
  }

  @Test
  void should_refuse_a_messenger_variable_no_process_reads_and_name_the_intended_one() {
    assertThatThrownBy(() -> Settings.forService(ServiceName.HISTORY, NO_FLAGS,
            Map.of("MESSENGER_NATS_ULR", "nats://x:4222")))
        .isInstanceOf(UnknownSettingException.class)
        .hasMessageContaining("MESSENGER_NATS_ULR")
        .hasMessageContaining("did you mean MESSENGER_NATS_URL?");
    assertThatThrownBy(() -> Settings.forService(ServiceName.HISTORY, NO_FLAGS, Map.of("MESSENGER_WHATEVER", "1")))
        .hasMessageContaining("MESSENGER_WHATEVER (no messenger process reads it)");
  }

  @Test
  void should_accept_variables_meant_for_other_services_and_for_the_launcher() {
    Settings settings = Settings.forService(ServiceName.HISTORY, NO_FLAGS, Map.of(
        "MESSENGER_DELAY", "3s", "MESSENGER_SHARDS", "64", "MESSENGER_SESSION_TARGETS", "127.0.0.1:7100",
        "MESSENGER_DATA_DIR", "/tmp/m", "MESSENGER_LOG_LEVEL", "DEBUG", "PATH", "/usr/bin",
        "MESSENGER_CQL_KEYSPACE", "chat"));

    assertThat(settings.string("cql-keyspace", "messenger")).isEqualTo("chat");
  }

  @Test
  void should_list_every_unknown_name_at_once() {
    assertThatThrownBy(() -> Settings.forService(ServiceName.PUSH, new String[] {"--wrokers=4", "--delay=1s"},
            Map.of("MESSENGER_ACK_WIAT", "60s")))
        .hasMessageContaining("--wrokers (did you mean --workers?)")
        .hasMessageContaining("MESSENGER_ACK_WIAT (did you mean MESSENGER_ACK_WAIT?)")
        .hasMessageNotContaining("--delay");
  }

  @Test
  void should_refuse_to_read_a_name_not_registered_for_the_service() {
    Settings settings = Settings.forService(ServiceName.WEBGATEWAY, NO_FLAGS, Map.of());

    assertThatThrownBy(() -> settings.get("shards")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("shards").hasMessageContaining("KnownSettings");
  }

  @Test
  void should_let_a_flag_win_over_the_environment() {
    Settings settings = Settings.forService(ServiceName.ROUTER, new String[] {"--shards=16"},
        Map.of("MESSENGER_SHARDS", "32", "MESSENGER_WORKER_THREADS", "8"));

    assertThat(settings.integer("shards", 64)).isEqualTo(16);
    assertThat(settings.integer("worker-threads", 4)).isEqualTo(8);
  }
}
