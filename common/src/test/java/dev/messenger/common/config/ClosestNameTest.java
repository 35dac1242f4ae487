package dev.messenger.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestNameTest {
  @Test
  void should_count_a_swap_of_neighbours_as_one_edit() {
    assertThat(ClosestName.distance("grpc-prot", "grpc-port")).isEqualTo(1);
    assertThat(ClosestName.distance("shard", "shards")).isEqualTo(1);
    assertThat(ClosestName.distance("", "tick")).isEqualTo(4);
  }

  @Test
  void should_guess_only_what_is_near() {
    List<String> names = List.of("grace", "grpc-host", "grpc-port", "tick");

    assertThat(ClosestName.to("grpc-hots", names)).contains("grpc-host");
    assertThat(ClosestName.to("tik", names)).contains("tick");
    assertThat(ClosestName.to("colour", names)).isEmpty();
  }
}
