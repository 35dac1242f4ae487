package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.SessionServer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ServerPickerTest {
  private final ServerPicker picker = new ServerPicker(new Random(7));

  private static SessionServer server(String address, int streams) {
    return SessionServer.newBuilder().setServerId(address).setAddress(address).setStreams(streams).build();
  }

  @Test
  void should_prefer_a_server_with_clearly_fewer_streams() {
    List<SessionServer> servers = List.of(server("a:1", 90), server("b:1", 20), server("c:1", 40));

    for (int i = 0; i < 100; i++) {
      assertThat(picker.pick(servers, null, "boot:1")).isEqualTo("b:1");
    }
  }

  @Test
  void should_spread_over_servers_whose_counts_differ_by_less_than_the_band() {
    List<SessionServer> servers = List.of(server("a:1", 1), server("b:1", 8), server("c:1", 50));
    Map<String, Integer> picked = new HashMap<>();

    for (int i = 0; i < 1_000; i++) {
      picked.merge(picker.pick(servers, null, "boot:1"), 1, Integer::sum);
    }

    assertThat(picked.keySet()).containsExactlyInAnyOrder("a:1", "b:1");
    assertThat(picked.get("a:1")).isBetween(400, 600);
  }

  @Test
  void should_widen_the_band_to_a_twentieth_of_the_share() {
    List<SessionServer> servers = List.of(server("a:1", 2_000), server("b:1", 2_090), server("c:1", 2_200));
    Set<String> picked = new HashSet<>();

    for (int i = 0; i < 100; i++) {
      picked.add(picker.pick(servers, null, "boot:1"));
    }

    assertThat(picked).containsExactlyInAnyOrder("a:1", "b:1");
  }

  /**
   * Counts published before a ramp stay in every answer for a second or two: the devices of that second must
   * not all go to the server that was one stream behind.
   */
  @Test
  void should_not_herd_a_ramp_onto_one_server_while_the_counts_are_stale() {
    List<SessionServer> stale = List.of(server("a:1", 3), server("b:1", 2));
    Map<String, Integer> picked = new HashMap<>();

    for (int i = 0; i < 400; i++) {
      picked.merge(picker.pick(stale, null, "boot:1"), 1, Integer::sum);
    }

    assertThat(picked.get("a:1")).isBetween(160, 240);
  }

  @Test
  void should_fall_back_when_nothing_usable_is_listed() {
    assertThat(picker.pick(List.of(), null, "boot:1")).isEqualTo("boot:1");
    assertThat(picker.pick(List.of(server("a:1", 0)), "a:1", "boot:1")).isEqualTo("boot:1");
    assertThat(picker.pick(List.of(server("", 0)), null, "boot:1")).isEqualTo("boot:1");
  }
}
