package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.messenger.common.errors.ApiErrors;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private final AtomicLong nanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));

  @Test
  void should_refuse_beyond_the_limit_and_admit_again_once_a_send_is_answered() {
    Admission admission = new Admission(SimpleLimiter.newBuilder().limit(FixedLimit.of(2)).build());

    Optional<Admission.Ticket> first = admission.admit();
    Optional<Admission.Ticket> second = admission.admit();
    assertThat(first).isPresent();
    assertThat(second).isPresent();
    assertThat(admission.admit()).as("a third send in progress").isEmpty();

    first.get().done(true);
    assertThat(admission.admit()).isPresent();
  }

  @Test
  void should_shrink_the_limit_while_admitted_sends_are_slower_than_the_bound_and_refuse_beyond_it() {
    Admission admission = Admission.adaptive(nanos::get);
    int initial = admission.limit();

    for (int round = 0; round < 20; round++) {
      List<Admission.Ticket> tickets = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        admission.admit().ifPresent(tickets::add);
      }
      nanos.addAndGet(Admission.SLOW_SEND.toNanos() * 2);
      tickets.forEach(t -> t.done(true));
    }

    assertThat(admission.limit()).as("from %d", initial).isEqualTo(Admission.MIN_LIMIT);
    List<Admission.Ticket> inProgress =
        IntStream.range(0, Admission.MIN_LIMIT).mapToObj(i -> admission.admit().orElseThrow()).toList();
    assertThat(admission.admit()).as("one more send in progress").isEmpty();
    assertThat(inProgress).hasSize(Admission.MIN_LIMIT);
  }

  @Test
  void should_let_the_limit_grow_again_while_sends_are_quick() {
    Admission admission = Admission.adaptive(nanos::get);
    int initial = admission.limit();

    for (int round = 0; round < 50; round++) {
      List<Admission.Ticket> tickets = new ArrayList<>();
      for (int i = 0; i < admission.limit(); i++) {
        admission.admit().ifPresent(tickets::add);
      }
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(5));
      tickets.forEach(t -> t.done(true));
    }

    assertThat(admission.limit()).isGreaterThan(initial);
  }

  @Test
  void should_tell_a_refused_sender_to_retry_within_a_second_while_few_are_refused_spread_over_senders() {
    Admission admission = new Admission(SimpleLimiter.newBuilder().limit(FixedLimit.of(1)).build(), nanos::get);
    admission.admit();

    var hints = IntStream.range(0, 200).mapToObj(i -> admission.overloaded()).toList();
    assertThat(hints).allSatisfy(refused -> {
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(ApiErrors.reasonOf(refused)).isEqualTo("OVERLOADED");
      assertThat(ApiErrors.retryAfterMillisOf(refused)).isBetween(500L, 1000L);
    });
    assertThat(hints.stream().map(ApiErrors::retryAfterMillisOf).distinct().count()).as("spread").isGreaterThan(50);
    assertThat(ApiErrors.retryAfterMillisOf(ApiErrors.unavailable("X", "no hint"))).isZero();
  }

  @Test
  void should_ask_refused_senders_to_wait_longer_while_many_are_refused_for_each_one_admitted() {
    Admission admission = new Admission(SimpleLimiter.newBuilder().limit(FixedLimit.of(1)).build(), nanos::get);
    Admission.Ticket held = admission.admit().orElseThrow();
    for (int i = 0; i < 9; i++) {
      assertThat(admission.admit()).isEmpty();
    }
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));

    var hints = IntStream.range(0, 200).mapToObj(i -> ApiErrors.retryAfterMillisOf(admission.overloaded())).toList();
    assertThat(hints).allSatisfy(hint -> assertThat(hint).isBetween(2_500L, Admission.RETRY_AFTER_MAX.toMillis()));

    held.done(true);
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
    assertThat(ApiErrors.retryAfterMillisOf(admission.overloaded())).as("a quiet second later").isBetween(500L, 1000L);
  }
}
