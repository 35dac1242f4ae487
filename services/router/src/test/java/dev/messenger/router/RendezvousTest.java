package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RendezvousTest {
  @Test
  void should_pick_the_same_owner_whatever_the_order() {
    for (int shard = 0; shard < 64; shard++) {
      assertThat(Rendezvous.owner(shard, List.of("a", "b", "c")))
          .isEqualTo(Rendezvous.owner(shard, List.of("c", "a", "b")));
    }
  }

  @Test
  void should_move_only_the_shards_of_a_router_that_leaves() {
    List<String> three = List.of("router-a", "router-b", "router-c");
    List<String> two = List.of("router-a", "router-b");
    int moved = 0;
    for (int shard = 0; shard < 256; shard++) {
      String before = Rendezvous.owner(shard, three).orElseThrow();
      String after = Rendezvous.owner(shard, two).orElseThrow();
      if (!before.equals("router-c")) {
        assertThat(after).isEqualTo(before);
      } else {
        moved++;
      }
    }
    assertThat(moved).as("router-c owned some shards").isBetween(40, 130);
  }

  @Test
  void should_have_no_owner_without_routers() {
    assertThat(Rendezvous.owner(3, List.of())).isEmpty();
  }
}
