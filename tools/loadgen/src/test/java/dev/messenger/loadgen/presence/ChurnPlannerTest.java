package dev.messenger.loadgen.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.messenger.loadgen.presence.ChurnPlanner.Connect;
import dev.messenger.loadgen.presence.ChurnPlanner.Disconnect;
import dev.messenger.loadgen.presence.ChurnPlanner.Skip;
import dev.messenger.loadgen.presence.ChurnPlanner.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner driven by a fake clock; connects and disconnects complete at once, blips after their hold. */
class ChurnPlannerTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  private final Map<Integer, Long> onlineSince = new HashMap<>();
  private final Map<Integer, Long> offlineSince = new HashMap<>();
  private final List<Long> onlineHolds = new ArrayList<>();
  private final List<Long> offlineHolds = new ArrayList<>();
  private final List<Long> blips = new ArrayList<>();
  private int connects;
  private int disconnects;
  private int skips;

  /** Runs {@code seconds} of arrivals every {@code gap}, applying each step the way the engine does. */
  private void simulate(ChurnPlanner planner, long gap, long seconds) {
    Map<Integer, Long> blipEnds = new HashMap<>();
    for (long now = 0; now < seconds * SECOND; now += gap) {
      long t = now;
      blipEnds.entrySet().removeIf(e -> {
        if (e.getValue() <= t) {
          planner.online(e.getKey(), e.getValue());
          return true;
        }
        return false;
      });
      Step step = planner.next(now);
      if (step instanceof Connect c) {
        connects++;
        if (offlineSince.containsKey(c.churner())) {
          offlineHolds.add(now - offlineSince.remove(c.churner()));
        }
        onlineSince.put(c.churner(), now);
        planner.online(c.churner(), now);
      } else if (step instanceof Disconnect d) {
        disconnects++;
        if (d.blip()) {
          blips.add(d.blipNanos());
          blipEnds.put(d.churner(), now + d.blipNanos());
        } else {
          onlineHolds.add(now - onlineSince.remove(d.churner()));
          offlineSince.put(d.churner(), now);
          planner.offline(d.churner(), now);
        }
      } else {
        assertThat(step).isInstanceOf(Skip.class);
        skips++;
      }
    }
  }

  @Test
  void should_hold_every_user_at_least_the_minimum_in_each_state() {
    ChurnPlanner planner = new ChurnPlanner(100, 2 * SECOND, 7 * SECOND, 0, 0, 3);

    simulate(planner, 50 * MS, 600);

    assertThat(connects + disconnects + skips).isEqualTo(12_000);
    // 100 users at 20 moves/s with mean holds of 5 s: almost always someone is free to move.
    assertThat(skips).isLessThan(120);
    assertThat(onlineHolds).isNotEmpty().allSatisfy(hold -> assertThat(hold).isGreaterThanOrEqualTo(2 * SECOND));
    assertThat(offlineHolds).isNotEmpty().allSatisfy(hold -> assertThat(hold).isGreaterThanOrEqualTo(7 * SECOND));
    // Holds are random, not all at the minimum.
    assertThat(onlineHolds.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(4 * SECOND);
  }

  @Test
  void should_make_the_given_share_of_disconnects_blips_no_longer_than_the_blip_length() {
    ChurnPlanner planner = new ChurnPlanner(100, 2 * SECOND, 7 * SECOND, 0.25, 2 * SECOND, 5);

    simulate(planner, 50 * MS, 600);

    assertThat((double) blips.size() / disconnects).isCloseTo(0.25, within(0.03));
    assertThat(blips).allSatisfy(b -> assertThat(b).isBetween(SECOND, 2 * SECOND));
  }

  @Test
  void should_skip_arrivals_when_no_user_has_held_long_enough() {
    ChurnPlanner planner = new ChurnPlanner(2, 2 * SECOND, 7 * SECOND, 0, 0, 1);

    simulate(planner, 100 * MS, 10);

    // Both connect at 0 and 0.1 s, go offline at 2 and 2.1 s and come back at 9 and 9.1 s; nobody else is free.
    assertThat(connects).isEqualTo(4);
    assertThat(disconnects).isEqualTo(2);
    assertThat(skips).isEqualTo(94);
    assertThat(planner.skipped()).isEqualTo(94);
  }

  @Test
  void should_never_pick_a_busy_or_retired_user() {
    ChurnPlanner planner = new ChurnPlanner(2, 0, 0, 0, 0, 1);

    Step first = planner.next(0);
    Step second = planner.next(0);
    planner.retire(((Connect) first).churner());

    assertThat(first).isInstanceOf(Connect.class);
    assertThat(second).isInstanceOf(Connect.class);
    assertThat(((Connect) second).churner()).isNotEqualTo(((Connect) first).churner());
    assertThat(planner.next(0)).isInstanceOf(Skip.class);
    planner.online(((Connect) second).churner(), 0);
    planner.online(((Connect) first).churner(), 0);
    assertThat(planner.next(1)).isEqualTo(new Disconnect(((Connect) second).churner(), 0));
    assertThat(planner.next(2)).isInstanceOf(Skip.class);
  }
}
