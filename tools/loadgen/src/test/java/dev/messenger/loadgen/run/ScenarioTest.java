package dev.messenger.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScenarioTest {
  @Test
  void should_reject_a_group_share_outside_0_to_1_and_groups_over_500() {
    assertThatThrownBy(() -> new Scenario(10, 1, 1, 1, 100, 1.2, Duration.ZERO, Duration.ofSeconds(1),
        Duration.ZERO, 10, 10, Duration.ofSeconds(60), Arrival.UNIFORM, 1, java.util.List.of(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--group-share must be between 0 and 1");
    assertThatThrownBy(() -> Scenario.of(10, 1, 1, Duration.ofSeconds(1)).withGroups(0.5, java.util.List.of(10, 501)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--group-size");
  }

  @Test
  void should_read_back_a_group_mix() {
    Scenario scenario = Scenario.of(200, 1, 1, Duration.ofSeconds(5)).withGroups(0.3, java.util.List.of(10, 100));
    assertThat(Scenario.fromMap(scenario.toMap())).isEqualTo(scenario);
  }

  @Test
  void should_read_back_its_map() {
    Scenario scenario = Scenario.of(2000, 2, 0.5, Duration.ofSeconds(60)).withWarmup(Duration.ofMillis(2500));

    assertThat(Scenario.fromMap(scenario.toMap())).isEqualTo(scenario);
    assertThat(scenario.totalRate()).isEqualTo(1000.0);
  }

  @Test
  void should_split_users_over_shards_without_gaps() {
    int users = 50_001;
    int covered = 0;
    for (int i = 0; i < 3; i++) {
      Shard shard = new Shard(i, 3);
      assertThat(shard.firstUser(users)).isEqualTo(covered);
      covered = shard.endUser(users);
    }
    assertThat(covered).isEqualTo(users);
    assertThat(Shard.parse("2/3")).isEqualTo(new Shard(2, 3));
  }
}
