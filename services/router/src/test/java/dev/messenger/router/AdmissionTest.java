package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.messenger.common.errors.ApiErrors;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private final AtomicLong nanos = new AtomicLong(1_000);

  @Test
  void should_refuse_beyond_the_limit_and_admit_again_once_a_send_is_answered() {
    Admission admission = new Admission(SimpleLimiter.newBuilder().limit(FixedLimit.of(2)).build(),
        new CompletionRate(nanos::get), Duration.ofMillis(250), Integer.MAX_VALUE);

    Optional<Admission.Ticket> first = admission.admit();
    Optional<Admission.Ticket> second = admission.admit();
    assertThat(first).isPresent();
    assertThat(second).isPresent();
    assertThat(admission.admit()).as("a third send in progress").isEmpty();

    first.get().done(true);
    assertThat(admission.admit()).isPresent();
  }

  @Test
  void should_admit_no_more_in_progress_than_the_last_second_answered_times_the_queue_time_budget() {
    Admission admission = new Admission(SimpleLimiter.newBuilder().limit(FixedLimit.of(10_000)).build(),
        new CompletionRate(nanos::get), Duration.ofMillis(250), 8);
    List<Admission.Ticket> idleBurst = admitAll(admission);
    assertThat(idleBurst).as("an idle router takes a burst of the floor").hasSize(8);
    idleBurst.forEach(ticket -> ticket.done(true));

    nanos.addAndGet(1_000_000_000L);
    for (int i = 0; i < 200; i++) { // the store answers 200 sends in the next second
      admission.admit().orElseThrow().done(true);
      nanos.addAndGet(5_000_000L);
    }
    assertThat(admission.limit()).as("250 ms of 200 answers a second").isEqualTo(50);
    List<Admission.Ticket> queued = admitAll(admission);
    assertThat(queued).hasSize(50);

    nanos.addAndGet(2_000_000_000L);
    assertThat(admission.limit()).as("nothing answered for two seconds: back to the floor").isEqualTo(8);
    assertThat(admission.admit()).isEmpty();
    queued.forEach(ticket -> ticket.done(false));
    assertThat(admission.admit()).as("failures free their place but do not count as answered").isPresent();
  }

  private static List<Admission.Ticket> admitAll(Admission admission) {
    List<Admission.Ticket> admitted = new ArrayList<>();
    for (Optional<Admission.Ticket> next = admission.admit(); next.isPresent(); next = admission.admit()) {
      admitted.add(next.get());
    }
    return admitted;
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
