package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StandingQueueShedderTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong clock = new AtomicLong();
  private double draw = 0.05;
  private final StandingQueueShedder shedder =
      new StandingQueueShedder(Duration.ofMillis(30), Duration.ofMillis(100), clock::get, () -> draw);

  @Test
  void should_not_shed_a_burst_whose_first_answers_are_fast() {
    for (int interval = 0; interval < 10; interval++) {
      shedder.answered(2 * MS);
      for (int i = 0; i < 50; i++) {
        shedder.answered(400 * MS); // the tail of a burst, queued behind its head
      }
      clock.addAndGet(100 * MS);
    }
    assertThat(shedder.share()).isZero();
    assertThat(shedder.shed()).isFalse();
  }

  @Test
  void should_shed_a_growing_share_while_every_answer_is_slower_than_the_target() {
    slowIntervals(1);
    assertThat(shedder.share()).isEqualTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(shedder.shed()).as("a draw below the share").isTrue();
    draw = 0.5;
    assertThat(shedder.shed()).as("a draw above the share").isFalse();

    slowIntervals(20);
    assertThat(shedder.share()).as("never everything").isEqualTo(StandingQueueShedder.MAX_SHARE);
  }

  @Test
  void should_shed_less_once_answers_are_fast_again_and_nothing_when_idle() {
    slowIntervals(5);
    double peak = shedder.share();
    shedder.answered(3 * MS);
    clock.addAndGet(100 * MS);
    assertThat(shedder.share()).isLessThan(peak);

    clock.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(shedder.share()).as("after two quiet seconds").isZero();
    assertThat(shedder.shed()).isFalse();
  }

  private void slowIntervals(int n) {
    for (int i = 0; i < n; i++) {
      shedder.answered(45 * MS);
      clock.addAndGet(100 * MS);
    }
  }
}
