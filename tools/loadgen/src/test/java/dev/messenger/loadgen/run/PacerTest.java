package dev.messenger.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pacer against a fake clock that only moves when the pacer waits (or when a send takes time). */
class PacerTest {
  private static final long SECOND = 1_000_000_000L;

  private long now;
  private final List<Long> scheduled = new ArrayList<>();
  private final List<Long> firedAt = new ArrayList<>();
  private final Map<String, Integer> perUser = new HashMap<>();

  private List<SimUser> users(int count) {
    List<SimUser> users = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SimUser user = new SimUser(i, "u" + i);
      SimDevice device = new SimDevice(i, user, "d0", new RunBooks("r", () -> now));
      user.addDevice(device);
      user.admit(List.of(device), List.of(new SimUser.Contact("peer", new ConversationLedger("c" + i, new int[] {i}))));
      users.add(user);
    }
    return users;
  }

  private void fire(SimUser user, long at, long sendCost) {
    scheduled.add(at);
    firedAt.add(now);
    perUser.merge(user.id(), 1, Integer::sum);
    now += sendCost;
  }

  @Test
  void should_send_each_user_rate_times_duration_in_schedule_order() {
    Pacer pacer = new Pacer(users(50), 2.0, Arrival.UNIFORM, 7, () -> now, nanos -> now += nanos);

    pacer.run(0, 10 * SECOND, (user, at) -> fire(user, at, 0));

    assertThat(perUser).hasSize(50).allSatisfy((user, count) -> assertThat(count).isEqualTo(20));
    assertThat(scheduled).isSorted().allSatisfy(at -> assertThat(at).isBetween(0L, 10 * SECOND - 1));
    for (int i = 0; i < scheduled.size(); i++) {
      assertThat(firedAt.get(i)).isGreaterThanOrEqualTo(scheduled.get(i));
    }
    assertThat(pacer.maxLagNanos()).isLessThan(2_000_000);
  }

  @Test
  void should_keep_the_scheduled_time_of_sends_it_fires_late() {
    Pacer pacer = new Pacer(users(10), 10.0, Arrival.UNIFORM, 7, () -> now, nanos -> now += nanos);

    pacer.run(0, 2 * SECOND, (user, at) -> fire(user, at, 50_000_000));

    assertThat(scheduled).hasSize(200).isSorted();
    assertThat(firedAt.get(199) - scheduled.get(199)).isGreaterThan(5 * SECOND);
    assertThat(pacer.maxLagNanos()).isGreaterThan(5 * SECOND);
  }

  @Test
  void should_average_the_rate_with_poisson_arrivals() {
    Pacer pacer = new Pacer(users(200), 1.0, Arrival.POISSON, 3, () -> now, nanos -> now += nanos);

    pacer.run(0, 50 * SECOND, (user, at) -> fire(user, at, 0));

    assertThat(scheduled).hasSizeBetween(9_500, 10_500).isSorted();
  }

  @Test
  void should_send_nothing_at_rate_zero() {
    Pacer pacer = new Pacer(users(5), 0, Arrival.UNIFORM, 1, () -> now, nanos -> now += nanos);

    pacer.run(0, 5 * SECOND, (user, at) -> fire(user, at, 0));

    assertThat(scheduled).isEmpty();
  }
}
