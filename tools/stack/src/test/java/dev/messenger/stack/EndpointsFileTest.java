package dev.messenger.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointsFileTest {
  @TempDir Path runDir;

  @Test
  void should_write_the_infrastructure_endpoints_logins_and_cas_for_its_owner_only() throws Exception {
    Path file = EndpointsFile.write(runDir, Map.ofEntries(
        Map.entry("MESSENGER_NATS_URL", "nats://127.0.0.1:7222"),
        Map.entry("MESSENGER_NATS_USER", "messenger"),
        Map.entry("MESSENGER_NATS_PASSWORD", "s3cret=with=equals"),
        Map.entry("MESSENGER_CQL_CONTACT_POINTS", "127.0.0.1:7042"),
        Map.entry("MESSENGER_ETCD_ENDPOINTS", "http://127.0.0.1:7379"),
        Map.entry("MESSENGER_ETCD_USER", "messenger"),
        Map.entry("MESSENGER_ETCD_PASSWORD", "etcd-s3cret"),
        Map.entry("MESSENGER_DEV_MODE", "true"),
        Map.entry("MESSENGER_TLS_CA_FILE", "/run/tls/ca.pem"),
        Map.entry("MESSENGER_TLS_KEY_FILE", "/run/tls/server-key.pem"),
        Map.entry("MESSENGER_INFRA_CA_FILE", "/run/tls/ca.pem"),
        Map.entry("MESSENGER_CQL_TLS", "true"),
        Map.entry("PATH", "/usr/bin")));

    assertThat(Files.readAllLines(file)).filteredOn(line -> !line.startsWith("#")).containsExactly(
        "MESSENGER_CQL_CONTACT_POINTS=127.0.0.1:7042",
        "MESSENGER_CQL_TLS=true",
        "MESSENGER_ETCD_ENDPOINTS=http://127.0.0.1:7379",
        "MESSENGER_ETCD_PASSWORD=etcd-s3cret",
        "MESSENGER_ETCD_USER=messenger",
        "MESSENGER_INFRA_CA_FILE=/run/tls/ca.pem",
        "MESSENGER_NATS_PASSWORD=s3cret=with=equals",
        "MESSENGER_NATS_URL=nats://127.0.0.1:7222",
        "MESSENGER_NATS_USER=messenger",
        "MESSENGER_TLS_CA_FILE=/run/tls/ca.pem");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void should_replace_the_file_of_an_earlier_stack() throws Exception {
    EndpointsFile.write(runDir, Map.of("MESSENGER_NATS_URL", "nats://127.0.0.1:1"));
    Path file = EndpointsFile.write(runDir, Map.of("MESSENGER_NATS_URL", "nats://127.0.0.1:2"));

    assertThat(Files.readString(file)).contains("nats://127.0.0.1:2").doesNotContain("nats://127.0.0.1:1");
  }

  @Test
  void should_refuse_a_value_that_would_not_stay_on_its_line() {
    assertThatThrownBy(() -> EndpointsFile.write(runDir, Map.of("MESSENGER_CQL_PASSWORD", "a\nMESSENGER_X=1")))
        .hasMessageContaining("MESSENGER_CQL_PASSWORD");
  }
}
