package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.SessionServer;
import java.util.HashSet;
import java.util.List;
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
  void should_prefer_fewer_streams() {
    List<SessionServer> servers = List.of(server("a:1", 9), server("b:1", 2), server("c:1", 4));

    assertThat(picker.pick(servers, null, "boot:1")).isEqualTo("b:1");
  }

  @Test
  void should_pick_randomly_among_ties() {
    List<SessionServer> servers = List.of(server("a:1", 1), server("b:1", 1), server("c:1", 5));
    Set<String> picked = new HashSet<>();

    for (int i = 0; i < 100; i++) {
      picked.add(picker.pick(servers, null, "boot:1"));
    }

    assertThat(picked).containsExactlyInAnyOrder("a:1", "b:1");
  }

  @Test
  void should_fall_back_when_nothing_usable_is_listed() {
    assertThat(picker.pick(List.of(), null, "boot:1")).isEqualTo("boot:1");
    assertThat(picker.pick(List.of(server("a:1", 0)), "a:1", "boot:1")).isEqualTo("boot:1");
    assertThat(picker.pick(List.of(server("", 0)), null, "boot:1")).isEqualTo("boot:1");
  }
}
