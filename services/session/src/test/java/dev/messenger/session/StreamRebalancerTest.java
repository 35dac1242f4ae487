package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamRebalancerTest {

  @Test
  void should_hand_over_half_the_excess_at_most_the_rate_to_a_server_back_from_a_restart() {
    assertThat(StreamRebalancer.toMove(2000, List.of(0), 200)).isEqualTo(200);
    assertThat(StreamRebalancer.toMove(1200, List.of(800), 200)).isEqualTo(100);
    assertThat(StreamRebalancer.toMove(3000, List.of(0, 0), 5000)).isEqualTo(1000);
  }

  @Test
  void should_leave_a_small_imbalance_alone() {
    assertThat(StreamRebalancer.toMove(1040, List.of(960), 200)).as("within 5% of the share").isZero();
    assertThat(StreamRebalancer.toMove(30, List.of(10), 200)).as("within the minimum excess").isZero();
    assertThat(StreamRebalancer.toMove(900, List.of(1100), 200)).as("below its share").isZero();
  }

  @Test
  void should_not_move_anything_alone_or_when_turned_off() {
    assertThat(StreamRebalancer.toMove(5000, List.of(), 200)).isZero();
    assertThat(StreamRebalancer.toMove(5000, List.of(0), 0)).isZero();
  }

  @Test
  void should_settle_when_two_servers_see_each_other_a_round_late() {
    int a = 2000;
    int b = 0;
    int reportedA = a;
    int reportedB = b;
    List<Integer> moves = new ArrayList<>();
    for (int round = 0; round < 40; round++) {
      int fromA = StreamRebalancer.toMove(a, List.of(reportedB), 200);
      int fromB = StreamRebalancer.toMove(b, List.of(reportedA), 200);
      reportedA = a; // what the other sees next round: this round's count, before the moves land
      reportedB = b;
      a += fromB - fromA;
      b += fromA - fromB;
      moves.add(fromA + fromB);
    }
    assertThat(Math.abs(a - b)).isLessThanOrEqualTo(100);
    assertThat(moves.stream().mapToInt(Integer::intValue).sum()).as("devices moved").isLessThanOrEqualTo(1100);
    assertThat(moves.subList(20, 40)).as("quiet once balanced").containsOnly(0);
  }
}
