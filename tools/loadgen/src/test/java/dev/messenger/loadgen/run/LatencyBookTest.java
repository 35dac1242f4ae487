package dev.messenger.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyBookTest {
  @Test
  void should_keep_deliveries_of_sends_refused_before_out_of_the_first_attempt_latencies() {
    LatencyBook book = new LatencyBook();
    book.delivery(4_000_000, true, false, false);
    book.delivery(900_000_000, true, false, true);
    book.delivery(5_000_000, false, false, false);

    DeliveryKinds kinds = book.deliveryKinds();
    assertThat(book.deliveryTotal().getTotalCount()).isEqualTo(2);
    assertThat(kinds.firstAttempt().getTotalCount()).isEqualTo(1);
    assertThat(kinds.firstAttempt().getMaxValue()).isLessThan(5_000);
  }
}
