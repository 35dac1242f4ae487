package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RebalancePaceTest {
  private static final long SECOND = 1_000_000_000L;
  private long now;

  /** The first round only learns the server's own count. */
  private int steadyRound(RebalancePace pace, int own, List<Integer> others) {
    pace.toMove(now, own, others);
    now += SECOND;
    return pace.toMove(now, own, others);
  }

  @Test
  void should_hand_over_half_the_excess_at_most_the_rate() {
    assertThat(steadyRound(new RebalancePace(200), 2000, List.of(0))).isEqualTo(200);
    assertThat(steadyRound(new RebalancePace(200), 1200, List.of(800))).isEqualTo(100);
    assertThat(steadyRound(new RebalancePace(5000), 3000, List.of(0, 0))).isEqualTo(1000);
  }

  @Test
  void should_leave_a_small_imbalance_alone() {
    assertThat(steadyRound(new RebalancePace(200), 1040, List.of(960))).as("within 5% of the share").isZero();
    assertThat(steadyRound(new RebalancePace(200), 30, List.of(10))).as("within the dead band").isZero();
    assertThat(steadyRound(new RebalancePace(200), 900, List.of(1100))).as("below its share").isZero();
  }

  @Test
  void should_not_move_anything_alone_or_when_turned_off() {
    assertThat(steadyRound(new RebalancePace(200), 5000, List.of())).isZero();
    assertThat(steadyRound(new RebalancePace(0), 5000, List.of(0))).isZero();
  }

  @Test
  void should_hold_still_while_its_own_count_moves_for_other_reasons() {
    RebalancePace pace = new RebalancePace(200);
    // Devices arriving in a ramp: the other server's published count (0) is as old as this one's jump.
    for (int own : new int[] {40, 150, 300, 420}) {
      assertThat(pace.toMove(now, own, List.of(0))).as("own %d", own).isZero();
      now += SECOND;
    }
    assertThat(pace.toMove(now, 420, List.of(80))).as("the other's ramp shows late").isZero();
    now += SECOND;
    assertThat(pace.toMove(now, 420, List.of(80))).as("steady again").isEqualTo(85);
  }

  @Test
  void should_hold_still_while_devices_arrive_elsewhere() {
    RebalancePace pace = new RebalancePace(200);
    assertThat(steadyRound(pace, 300, List.of(100, 0))).as("share 133, excess 167").isEqualTo(83);
    pace.moved(now, 83);
    // A ramp on the third server: what it publishes runs behind, so the excess here is not known yet.
    for (int third : new int[] {150, 300, 450}) {
      now += SECOND;
      assertThat(pace.toMove(now, 217, List.of(100, third))).as("third at %d", third).isZero();
    }
    now += SECOND;
    assertThat(pace.toMove(now, 217, List.of(100, 450))).as("steady: below its share").isZero();
  }

  @Test
  void should_count_devices_handed_over_as_the_others_until_they_show_there() {
    RebalancePace pace = new RebalancePace(200);
    assertThat(steadyRound(pace, 500, List.of(0))).isEqualTo(125);
    pace.moved(now, 125);
    now += SECOND;
    // They are still reconnecting: the other server still publishes 0.
    assertThat(pace.toMove(now, 375, List.of(0))).as("excess 375 - 250").isEqualTo(62);
    pace.moved(now, 62);
    int own = 313;
    // A server that just started takes its time: for 10 s none of them shows there yet.
    for (int second = 0; second < 10; second++) {
      now += SECOND;
      int count = pace.toMove(now, own, List.of(0));
      pace.moved(now, count);
      own -= count;
    }
    assertThat(own).as("handed over no more than the excess of 250").isBetween(250, 250 + 12);
    now += SECOND;
    assertThat(pace.toMove(now, own, List.of(500 - own))).as("all arrived: even").isZero();
  }

  @Test
  void should_stop_for_a_while_when_the_devices_it_handed_over_come_back() {
    RebalancePace pace = new RebalancePace(100);
    assertThat(steadyRound(pace, 500, List.of(0))).isEqualTo(100);
    pace.moved(now, 100);
    // The other server is registered but cannot welcome them yet: they reconnect here.
    for (long waited = 0; waited < RebalancePace.HOLD_AFTER_RETURN.toNanos(); waited += SECOND) {
      now += SECOND;
      assertThat(pace.toMove(now, 495, List.of(0))).isZero();
    }
    now += SECOND;
    assertThat(pace.toMove(now, 495, List.of(0))).as("tries again").isEqualTo(100);
  }

  @Test
  void should_forget_devices_in_transit_that_never_showed() {
    RebalancePace pace = new RebalancePace(200);
    assertThat(steadyRound(pace, 500, List.of(0))).isEqualTo(125);
    pace.moved(now, 125);
    now += RebalancePace.IN_TRANSIT.toNanos() + SECOND;
    // They came back here instead (the other server refused them): this count is steady again.
    assertThat(pace.toMove(now, 500, List.of(0))).isZero();
    now += SECOND;
    assertThat(pace.toMove(now, 500, List.of(0))).isEqualTo(125);
  }

  @Test
  void should_settle_without_handing_devices_back_when_counts_are_published_late() {
    RebalancePace a = new RebalancePace(200);
    RebalancePace b = new RebalancePace(200);
    int countA = 2000;
    int countB = 0;
    List<int[]> published = new ArrayList<>(); // what each server published, one entry a round
    List<Integer> moves = new ArrayList<>();
    int[] toA = new int[6]; // moved devices arrive six rounds later, as on a server that just started
    int[] toB = new int[6];
    for (int round = 0; round < 60; round++) {
      published.add(new int[] {countA, countB});
      int[] seen = published.get(Math.max(0, published.size() - 3)); // two rounds old
      int fromA = a.toMove(now, countA, List.of(seen[1]));
      int fromB = b.toMove(now, countB, List.of(seen[0]));
      a.moved(now, fromA);
      b.moved(now, fromB);
      int slot = round % toA.length;
      countA += toA[slot] - fromA;
      countB += toB[slot] - fromB;
      toA[slot] = fromB;
      toB[slot] = fromA;
      moves.add(fromA + fromB);
      now += SECOND;
    }
    assertThat(Math.abs(countA - countB)).isLessThanOrEqualTo(2 * StreamMoves.REBALANCE_DEAD_BAND + 100);
    assertThat(moves.stream().mapToInt(Integer::intValue).sum()).as("devices moved").isLessThanOrEqualTo(1050);
    assertThat(moves.subList(40, 60)).as("quiet once even").containsOnly(0);
  }
}
