package dev.messenger.systemtests.infra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.common.etcd.EtcdRegistration;
import dev.messenger.common.etcd.KeptLease;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Leases this process renews itself (session servers, routers and presence instances register with them). */
@WithRealInfrastructure
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeptLeaseIT {
  private static final Duration TTL = Duration.ofSeconds(2);

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
  void should_keep_the_key_for_many_ttls_and_delete_it_at_once_on_close() throws Exception {
    String key = uniqueKey("kept");
    EtcdRegistration registration = EtcdRegistration.register(etcd, key, "v", TTL);

    await().during(TTL.multipliedBy(4)).atMost(TTL.multipliedBy(4).plusSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> count(key) == 1 && registration.sinceLastRenewal().compareTo(TTL.dividedBy(2)) < 0);

    registration.close();
    assertThat(count(key)).isZero();
  }

  @Test
  void should_tell_once_when_etcd_says_the_lease_is_gone() throws Exception {
    AtomicInteger lost = new AtomicInteger();
    KeptLease lease = KeptLease.grant(etcd, TTL, lost::incrementAndGet);

    etcd.getLeaseClient().revoke(lease.id()).get(5, TimeUnit.SECONDS); // what expiry does

    await().atMost(Duration.ofSeconds(3)).until(() -> lost.get() == 1 && lease.lost());
    await().during(TTL).atMost(TTL.plusSeconds(2)).until(() -> lost.get() == 1);
    lease.close();
  }

  @Test
  void should_not_report_a_lease_lost_when_it_is_only_abandoned() throws Exception {
    AtomicInteger lost = new AtomicInteger();
    KeptLease lease = KeptLease.grant(etcd, TTL, lost::incrementAndGet);
    lease.abandon();

    await().atMost(TTL.plusSeconds(5)).until(() -> lease.sinceLastRenewal().compareTo(TTL) > 0);
    assertThat(lost.get()).isZero();
    assertThat(lease.lost()).isFalse();
  }

  private static long count(String key) throws Exception {
    return etcd.getKVClient().get(ByteSequence.from(key, UTF_8)).get(5, TimeUnit.SECONDS).getCount();
  }

  private static String uniqueKey(String name) {
    return "/kept-lease-it/" + name + "/" + UUID.randomUUID();
  }
}
