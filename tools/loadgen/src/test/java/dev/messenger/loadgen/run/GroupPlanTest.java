package dev.messenger.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupPlanTest {
  @Test
  void should_split_users_into_consecutive_groups_following_the_mix() {
    assertThat(GroupPlan.blocks(25, List.of(10, 5))).containsExactly(
        new int[] {0, 10}, new int[] {10, 15}, new int[] {15, 25});
  }

  @Test
  void should_fold_a_lone_remainder_into_the_last_group_or_leave_it_out_at_500() {
    assertThat(GroupPlan.blocks(21, List.of(10))).containsExactly(new int[] {0, 10}, new int[] {10, 21});
    assertThat(GroupPlan.blocks(501, List.of(500))).containsExactly(new int[] {0, 500});
    assertThat(GroupPlan.blocks(7, List.of(10))).containsExactly(new int[] {0, 7});
    assertThat(GroupPlan.blocks(1, List.of(10))).isEmpty();
  }
}
