package dev.messenger.presence.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RendezvousTest {
  private static final int PARTITIONS = 1024;

  @Test
  void should_spread_partitions_about_evenly() {
    List<String> instances = List.of("presence-a", "presence-b", "presence-c", "presence-d");
    Map<String, Integer> counts = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      counts.merge(Rendezvous.owner(p, instances).orElseThrow(), 1, Integer::sum);
    }

    assertThat(counts).hasSize(4);
    assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(200, 312));
  }

  @Test
  void should_move_only_the_partitions_of_an_instance_that_leaves() {
    List<String> before = List.of("presence-a", "presence-b", "presence-c");
    List<String> after = List.of("presence-a", "presence-c");
    for (int p = 0; p < PARTITIONS; p++) {
      String owner = Rendezvous.owner(p, before).orElseThrow();
      if (!owner.equals("presence-b")) {
        assertThat(Rendezvous.owner(p, after)).contains(owner);
      }
    }
  }

  @Test
  void should_have_no_owner_without_instances() {
    assertThat(Rendezvous.owner(3, List.of())).isEmpty();
  }
}
