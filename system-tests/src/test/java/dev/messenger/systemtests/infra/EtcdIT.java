package dev.messenger.systemtests.infra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.support.Observers;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@WithRealInfrastructure
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdIT {
  private static final long LEASE_SECONDS = 2;

  private static Client etcd;

  @BeforeAll
  static void connect(InfrastructureEndpoints endpoints) {
    etcd = Client.builder().endpoints(endpoints.etcdEndpoints().toArray(String[]::new)).build();
  }

  @AfterAll
  static void disconnect() {
    etcd.close();
  }

  @Test
  void should_delete_a_key_once_its_lease_expires() throws Exception {
    ByteSequence key = uniqueKey("expiring");
    long lease = etcd.getLeaseClient().grant(LEASE_SECONDS).get(5, TimeUnit.SECONDS).getID();

    etcd.getKVClient().put(key, bytes("instance-1"), PutOption.builder().withLeaseId(lease).build())
        .get(5, TimeUnit.SECONDS);

    assertThat(count(key)).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> count(key) == 0);
  }

  @Test
  void should_keep_a_key_while_its_lease_is_kept_alive() throws Exception {
    ByteSequence key = uniqueKey("kept");
    long lease = etcd.getLeaseClient().grant(LEASE_SECONDS).get(5, TimeUnit.SECONDS).getID();
    etcd.getKVClient().put(key, bytes("instance-2"), PutOption.builder().withLeaseId(lease).build())
        .get(5, TimeUnit.SECONDS);

    CloseableClient keepAlive = etcd.getLeaseClient().keepAlive(lease, Observers.observer(response -> { }));
    try {
      await().during(Duration.ofSeconds(3 * LEASE_SECONDS)).atMost(Duration.ofSeconds(3 * LEASE_SECONDS + 5))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> count(key) == 1);
    } finally {
      keepAlive.close();
    }

    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> count(key) == 0);
  }

  private static long count(ByteSequence key) throws Exception {
    return etcd.getKVClient().get(key).get(5, TimeUnit.SECONDS).getCount();
  }

  private static ByteSequence uniqueKey(String name) {
    return bytes("/infra-it/" + name + "/" + UUID.randomUUID());
  }

  private static ByteSequence bytes(String value) {
    return ByteSequence.from(value, UTF_8);
  }
}
