package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.common.etcd.RenewedLease;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LeaseKeyHoldTest {
  private static final Duration TTL = Duration.ofSeconds(5);

  private static final class FakeLease implements RenewedLease {
    final long id;
    Duration sinceLastRenewal = Duration.ofMillis(300);
    boolean lost;

    FakeLease(long id) {
      this.id = id;
    }

    @Override
    public long leaseId() {
      return id;
    }

    @Override
    public boolean lost() {
      return lost;
    }

    @Override
    public Duration sinceLastRenewal() {
      return sinceLastRenewal;
    }
  }

  @Test
  void should_be_certain_only_while_the_last_renewal_was_sent_less_than_half_a_ttl_ago() {
    FakeLease lease = new FakeLease(7);
    ShardKeyHold hold = LeaseKeyHold.of(lease, 7, TTL, () -> true);
    assertThat(hold.certain()).isTrue();

    lease.sinceLastRenewal = Duration.ofMillis(2_499);
    assertThat(hold.certain()).isTrue();
    lease.sinceLastRenewal = Duration.ofMillis(2_500);
    assertThat(hold.certain()).as("half the TTL is left for the clocks' rates").isFalse();
    lease.sinceLastRenewal = Duration.ofSeconds(30);
    assertThat(hold.certain()).as("paused past its lease").isFalse();
  }

  @Test
  void should_never_be_certain_of_a_key_under_another_lease() {
    FakeLease current = new FakeLease(8);
    assertThat(LeaseKeyHold.of(current, 7, TTL, () -> true).certain())
        .as("a key left under an earlier lease of this router expires with that lease").isFalse();
  }

  @Test
  void should_stop_being_certain_once_the_lease_is_lost_or_replaced() {
    FakeLease lease = new FakeLease(7);
    AtomicBoolean inUse = new AtomicBoolean(true);
    ShardKeyHold hold = LeaseKeyHold.of(lease, 7, TTL, inUse::get);

    inUse.set(false);
    assertThat(hold.certain()).as("the router registered again under a new lease").isFalse();
    inUse.set(true);
    lease.lost = true;
    assertThat(hold.certain()).as("etcd said the lease is gone").isFalse();
  }
}
