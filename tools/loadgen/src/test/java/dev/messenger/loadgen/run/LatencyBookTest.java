package dev.messenger.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyBookTest {
  @Test
  void should_keep_deliveries_of_sends_refused_before_out_of_the_first_attempt_latencies() {
    LatencyBook book = new LatencyBook();
    book.delivery(4_000_000, true, false, false, 3_000_000);
    book.delivery(900_000_000, true, false, true, 2_000_000);
    book.delivery(5_000_000, false, false, false, 1_000_000);

    DeliveryKinds kinds = book.deliveryKinds();
    assertThat(book.deliveryTotal().getTotalCount()).isEqualTo(2);
    assertThat(kinds.firstAttempt().getTotalCount()).isEqualTo(1);
    assertThat(kinds.firstAttempt().getMaxValue()).isLessThan(5_000);
  }

  @Test
  void should_count_a_resent_send_from_the_attempt_that_was_stored() {
    LatencyBook book = new LatencyBook();
    book.delivery(900_000_000, true, false, true, 7_000_000);
    book.delivery(4_000_000, true, false, false, -1);

    DeliveryKinds kinds = book.deliveryKinds();
    assertThat(kinds.fromAcceptedAttempt().getTotalCount()).isEqualTo(1);
    assertThat(kinds.fromAcceptedAttempt().getMaxValue()).isBetween(6_990L, 7_010L);
  }
}
