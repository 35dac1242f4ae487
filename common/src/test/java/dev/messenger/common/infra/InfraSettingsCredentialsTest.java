package dev.messenger.common.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.ClientBuilder;
import io.nats.client.Options;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfraSettingsCredentialsTest {
  private static final Map<String, String> ALL_CREDENTIALS = Map.of(
      "MESSENGER_NATS_USER", "messenger", "MESSENGER_NATS_PASSWORD", "nats-secret",
      "MESSENGER_CQL_USER", "messenger", "MESSENGER_CQL_PASSWORD", "cql-secret",
      "MESSENGER_ETCD_USER", "messenger", "MESSENGER_ETCD_PASSWORD", "etcd-secret");

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
  void should_send_an_unanswered_idempotent_cql_request_to_another_replica_and_probe_silent_connections() {
    DriverExecutionProfile profile = forRouter(Map.of()).cqlDriverConfig().getInitialConfig().getDefaultProfile();

    assertThat(profile.getString(DefaultDriverOption.SPECULATIVE_EXECUTION_POLICY_CLASS))
        .isEqualTo("ConstantSpeculativeExecutionPolicy");
    assertThat(profile.getInt(DefaultDriverOption.SPECULATIVE_EXECUTION_MAX)).isEqualTo(2);
    assertThat(profile.getDuration(DefaultDriverOption.SPECULATIVE_EXECUTION_DELAY))
        .isEqualTo(InfraSettings.SPECULATIVE_DELAY).isLessThan(java.time.Duration.ofSeconds(1));
    assertThat(profile.getDuration(DefaultDriverOption.HEARTBEAT_INTERVAL)).isEqualTo(InfraSettings.HEARTBEAT_INTERVAL)
        .isLessThan(profile.getDuration(DefaultDriverOption.REQUEST_TIMEOUT).multipliedBy(2));
    assertThat(profile.getDuration(DefaultDriverOption.HEARTBEAT_INTERVAL)
        .plus(profile.getDuration(DefaultDriverOption.HEARTBEAT_TIMEOUT))).as("a silent node found within")
        .isLessThanOrEqualTo(java.time.Duration.ofSeconds(4));
  }

  @Test
  void should_hand_etcd_credentials_to_the_jetcd_client_builder() {
    InfraSettings infra = forRouter(ALL_CREDENTIALS);

    ClientBuilder builder = infra.etcdClientBuilder();

    assertThat(builder.user()).isEqualTo(ByteSequence.from("messenger", StandardCharsets.UTF_8));
    assertThat(builder.password()).isEqualTo(ByteSequence.from("etcd-secret", StandardCharsets.UTF_8));
  }

  @Test
  void should_replace_an_etcd_connection_that_stops_answering_pings_within_seconds() {
    ClientBuilder builder = forRouter(Map.of()).etcdClientBuilder();

    assertThat(builder.keepaliveTime()).isEqualTo(java.time.Duration.ofSeconds(6));
    assertThat(builder.keepaliveTimeout()).isEqualTo(java.time.Duration.ofSeconds(3));
    assertThat(builder.keepaliveWithoutCalls()).isFalse();
  }

  @Test
  void should_connect_anonymously_without_credentials() {
    InfraSettings infra = forRouter(Map.of());

    assertThat(infra.etcdClientBuilder().user()).isNull();
    assertThat(infra.etcdClientBuilder().password()).isNull();
    assertThat(infra.natsOptions("router-1").build().getUsername()).isNull();
    assertThat(infra.cqlDriverConfig().getInitialConfig().getDefaultProfile()
        .isDefined(DefaultDriverOption.AUTH_PROVIDER_CLASS)).isFalse();
    assertThat(infra.credentialVariables()).isEmpty();
  }

  @Test
  void should_read_credentials_from_flags_before_the_environment() {
    InfraSettings infra = InfraSettings.from(Settings.forService(ServiceName.SESSION,
        new String[] {"--cql-user=flag-user", "--etcd-password=flag-secret"}, ALL_CREDENTIALS));

    assertThat(infra.cqlCredentials()).contains(new Credentials("flag-user", "cql-secret"));
    assertThat(infra.etcdCredentials()).contains(new Credentials("messenger", "flag-secret"));
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
  void should_refuse_half_an_etcd_login_from_flags_or_environment() {
    assertThatThrownBy(() -> forRouter(Map.of("MESSENGER_ETCD_PASSWORD", "etcd-secret")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MESSENGER_ETCD_PASSWORD (--etcd-password) is set without MESSENGER_ETCD_USER (--etcd-user)");
    assertThatThrownBy(() -> InfraSettings.from(Settings.forService(ServiceName.PRESENCE,
        new String[] {"--etcd-user=messenger"}, Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MESSENGER_ETCD_USER (--etcd-user) is set without MESSENGER_ETCD_PASSWORD (--etcd-password)");
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

    assertThat(infra.toString()).contains("messenger").doesNotContain("nats-secret", "cql-secret", "etcd-secret");
  }

  @Test
  void should_hand_the_credentials_on_as_the_variables_they_were_read_from() {
    assertThat(forRouter(ALL_CREDENTIALS).credentialVariables()).isEqualTo(ALL_CREDENTIALS);
  }

  private static InfraSettings forRouter(Map<String, String> environment) {
    return InfraSettings.from(Settings.forService(ServiceName.ROUTER, new String[0], environment));
  }
}
