package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.auth.Principal;
import dev.messenger.common.errors.ApiErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SessionLimitsTest {
  private final AtomicLong nanos = new AtomicLong();
  private final SessionLimits limits = new SessionLimits(new UserRates(2, 5, 3), nanos::get);
  private final Principal phone = new Principal("alice", "phone");
  private final Principal laptop = new Principal("alice", "laptop");
  private final Principal bob = new Principal("bob", "phone");

  @Test
  void should_limit_the_streams_a_user_opens_over_all_devices() {
    assertRefusedAfter(4, limits::connect, "CONNECT_RATE_LIMITED", 500);
    assertThatThrownBy(() -> limits.connect(laptop)).isInstanceOf(StatusRuntimeException.class);
    limits.connect(bob);
    nanos.addAndGet(500_000_000L);
    limits.connect(laptop);
  }

  @Test
  void should_limit_receipts_apart_from_connects_and_watches() {
    assertRefusedAfter(10, limits::receipt, "RECEIPT_RATE_LIMITED", 200);
    limits.connect(phone);
    limits.watch(phone);
  }

  @Test
  void should_count_merged_delivery_acks_against_later_receipts() {
    for (int i = 0; i < 10; i++) {
      limits.chargeReceipt(phone);
    }
    assertThatThrownBy(() -> limits.receipt(phone)).isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void should_limit_watch_changes() {
    assertRefusedAfter(6, limits::watch, "WATCH_RATE_LIMITED", 334);
    limits.watch(bob);
  }

  @Test
  void should_read_the_rates_from_flags_with_generous_defaults() {
    var settings = dev.messenger.common.config.Settings.forService(dev.messenger.common.config.ServiceName.SESSION,
        new String[] {"--connect-rate=4", "--receipt-rate=40", "--watch-rate=7"},
        java.util.Map.of("MESSENGER_DEV_MODE", "true"));
    SessionConfig config = SessionConfig.from(settings, dev.messenger.common.auth.TokenKeySource.keys(settings));
    assertThat(config.rates()).isEqualTo(new UserRates(4, 40, 7));
    assertThat(UserRates.defaults()).isEqualTo(new UserRates(10, 100, 20));
    assertThatThrownBy(() -> new UserRates(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A burst of {@code burst} of one user's phone passes; the next is refused, with a delay until a token. */
  private void assertRefusedAfter(int burst, Consumer<Principal> check, String reason, long retryMillis) {
    for (int i = 0; i < burst; i++) {
      check.accept(phone);
    }
    assertThatThrownBy(() -> check.accept(phone)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(ApiErrors.reasonOf(e)).isEqualTo(reason);
      assertThat(ApiErrors.retryAfterMillisOf(e)).isEqualTo(retryMillis);
    });
  }
}
