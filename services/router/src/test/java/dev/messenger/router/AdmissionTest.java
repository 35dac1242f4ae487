package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.messenger.common.errors.ApiErrors;
import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private final AtomicLong clock = new AtomicLong();
  private double draw = 0.95;
  private final StandingQueueShedder shedder =
      new StandingQueueShedder(Duration.ofMillis(30), Duration.ofMillis(100), clock::get, () -> draw);

  @Test
  void should_refuse_beyond_the_limit_and_admit_again_once_a_send_is_answered() {
    Admission admission = new Admission(SimpleLimiter.newBuilder().limit(FixedLimit.of(2)).build(), shedder, clock::get);

    Optional<Admission.Ticket> first = admission.admit();
    Optional<Admission.Ticket> second = admission.admit();
    assertThat(first).isPresent();
    assertThat(second).isPresent();
    assertThat(admission.admit()).as("a third send in progress").isEmpty();

    first.get().done(true);
    assertThat(admission.admit()).isPresent();
  }

  @Test
  void should_shed_new_sends_once_every_answer_of_an_interval_was_slow() {
    Admission admission = new Admission(SimpleLimiter.newBuilder().limit(FixedLimit.of(1000)).build(), shedder, clock::get);
    for (int interval = 0; interval < 8; interval++) {
      var tickets = IntStream.range(0, 5).mapToObj(i -> admission.admit().orElseThrow()).toList();
      clock.addAndGet(Duration.ofMillis(100).toNanos());
      tickets.forEach(t -> t.done(true)); // each answered 100 ms after its admission
    }
    clock.addAndGet(Duration.ofMillis(1).toNanos());
    draw = 0.5;

    assertThat(admission.shedShare()).isGreaterThan(0.5);
    assertThat(admission.admit()).as("shed while the queue stands").isEmpty();
  }

  @Test
  void should_tell_a_refused_sender_when_to_retry_within_a_second_spread_over_senders() {
    var hints = IntStream.range(0, 200).mapToObj(i -> Admission.overloaded()).toList();
    assertThat(hints).allSatisfy(refused -> {
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(ApiErrors.reasonOf(refused)).isEqualTo("OVERLOADED");
      assertThat(ApiErrors.retryAfterMillisOf(refused)).isBetween(500L, 1000L);
    });
    assertThat(hints.stream().map(ApiErrors::retryAfterMillisOf).distinct().count()).as("spread").isGreaterThan(50);
    assertThat(ApiErrors.retryAfterMillisOf(ApiErrors.unavailable("X", "no hint"))).isZero();
  }
}
