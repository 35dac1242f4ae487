package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session server whose registration lease expired while it lives (etcd unreachable, or the process stalled
 * past the TTL) is back in etcd within a renewal period, not a TTL or more later: discovery and presence
 * (which ends every stream of a server whose key goes) see it gone only for that long.
 */
@WithRealInfrastructure
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionLeaseIT {
  private static TestCluster cluster;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = TestCluster.start(endpoints);
    cluster.startSession("session-lease", UnaryOperator.identity());
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_register_again_at_once_when_its_lease_expired() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.sessionLeases().containsKey("session-lease"));
    long first = cluster.sessionLeases().get("session-lease");

    cluster.revokeLease(first);

    // The default TTL is 5 s; renewals run every quarter of it.
    await().atMost(Duration.ofMillis(2500)).pollInterval(Duration.ofMillis(50))
        .until(() -> cluster.sessionLeases().containsKey("session-lease"));
    long second = cluster.sessionLeases().get("session-lease");
    assertThat(second).isNotEqualTo(first);
    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10))
        .until(() -> cluster.sessionLeases().getOrDefault("session-lease", 0L) == second);
  }
}
