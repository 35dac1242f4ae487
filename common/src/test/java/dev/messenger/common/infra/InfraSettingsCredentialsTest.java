package dev.messenger.common.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import io.nats.client.Options;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfraSettingsCredentialsTest {
  private static final Map<String, String> ALL_CREDENTIALS = Map.of(
      "MESSENGER_NATS_USER", "messenger", "MESSENGER_NATS_PASSWORD", "nats-secret",
      "MESSENGER_CQL_USER", "messenger", "MESSENGER_CQL_PASSWORD", "cql-secret");

  @Test
  void should_hand_nats_credentials_to_the_jnats_options() {
    InfraSettings infra = forRouter(ALL_CREDENTIALS);

    Options options = infra.natsOptions("router-1").build();

    assertThat(options.getUsername()).isEqualTo("messenger");
    assertThat(options.getPassword()).isEqualTo("nats-secret");
  }

  @Test
  void should_configure_the_plain_text_auth_provider_of_the_cql_driver() {
    InfraSettings infra = forRouter(ALL_CREDENTIALS);

    DriverExecutionProfile profile = infra.cqlDriverConfig().getInitialConfig().getDefaultProfile();

    assertThat(profile.getString(DefaultDriverOption.AUTH_PROVIDER_CLASS)).isEqualTo("PlainTextAuthProvider");
    assertThat(profile.getString(DefaultDriverOption.AUTH_PROVIDER_USER_NAME)).isEqualTo("messenger");
    assertThat(profile.getString(DefaultDriverOption.AUTH_PROVIDER_PASSWORD)).isEqualTo("cql-secret");
  }

  @Test
  void should_connect_anonymously_without_credentials() {
    InfraSettings infra = forRouter(Map.of());

    assertThat(infra.natsOptions("router-1").build().getUsername()).isNull();
    assertThat(infra.cqlDriverConfig().getInitialConfig().getDefaultProfile()
        .isDefined(DefaultDriverOption.AUTH_PROVIDER_CLASS)).isFalse();
    assertThat(infra.credentialVariables()).isEmpty();
  }

  @Test
  void should_read_credentials_from_flags_before_the_environment() {
    InfraSettings infra = InfraSettings.from(Settings.forService(ServiceName.SESSION,
        new String[] {"--cql-user=flag-user"}, ALL_CREDENTIALS));

    assertThat(infra.cqlCredentials()).contains(new Credentials("flag-user", "cql-secret"));
    assertThat(infra.natsCredentials()).contains(new Credentials("messenger", "nats-secret"));
  }

  @Test
  void should_refuse_a_password_without_a_user() {
    assertThatThrownBy(() -> forRouter(Map.of("MESSENGER_NATS_PASSWORD", "nats-secret")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MESSENGER_NATS_PASSWORD (--nats-password) is set without MESSENGER_NATS_USER (--nats-user)");
  }

  @Test
  void should_refuse_a_user_without_a_password() {
    assertThatThrownBy(() -> forRouter(Map.of("MESSENGER_CQL_USER", "messenger")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MESSENGER_CQL_USER (--cql-user) is set without MESSENGER_CQL_PASSWORD (--cql-password)");
  }

  @Test
  void should_accept_the_credential_variables_in_every_service_environment() {
    for (ServiceName service : ServiceName.values()) {
      Settings.forService(service, new String[0], ALL_CREDENTIALS);
    }
  }

  @Test
  void should_never_print_a_password() {
    InfraSettings infra = forRouter(ALL_CREDENTIALS);

    assertThat(infra.toString()).contains("messenger").doesNotContain("nats-secret", "cql-secret");
  }

  @Test
  void should_hand_the_credentials_on_as_the_variables_they_were_read_from() {
    assertThat(forRouter(ALL_CREDENTIALS).credentialVariables()).isEqualTo(ALL_CREDENTIALS);
  }

  private static InfraSettings forRouter(Map<String, String> environment) {
    return InfraSettings.from(Settings.forService(ServiceName.ROUTER, new String[0], environment));
  }
}
