package dev.messenger.loadgen.run;

import java.util.ArrayList;
import java.util.List;

/**
 * How the users of one process are split into groups: consecutive blocks whose sizes follow the mix in turn.
 * A remainder of one user joins the block before it when that stays within 500 members, else stays out.
 */
final class GroupPlan {
  static final int MAX_MEMBERS = 500;

  private GroupPlan() {}

  /** Blocks of local user indexes, each {@code {from, to}} (to exclusive), at least 2 users each. */
  static List<int[]> blocks(int users, List<Integer> sizes) {
    List<int[]> blocks = new ArrayList<>();
    int start = 0;
    for (int k = 0; start < users; k++) {
      int end = Math.min(users, start + sizes.get(k % sizes.size()));
      if (end - start < 2) {
        int[] last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
        if (last != null && end - last[0] <= MAX_MEMBERS) {
          last[1] = end;
        }
        break;
      }
      blocks.add(new int[] {start, end});
      start = end;
    }
    return blocks;
  }
}
