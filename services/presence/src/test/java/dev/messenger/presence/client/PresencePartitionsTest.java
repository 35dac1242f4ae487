package dev.messenger.presence.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.Subjects;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PresencePartitionsTest {
  @Test
  void should_map_a_user_to_the_same_partition_in_every_release() {
    // FNV-1a (32 bit) of "alice" is 0x872213e7: pinned, so servers of different releases agree.
    assertThat(PresencePartitions.of("alice", 64)).isEqualTo(39);
    assertThat(PresencePartitions.of("alice", 1000)).isEqualTo(183);
  }

  @Test
  void should_use_every_partition() {
    Set<Integer> used = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      used.add(PresencePartitions.of("user-" + i, 64));
    }
    assertThat(used).hasSize(64);
  }

  @Test
  void should_name_the_subject_in_the_namespace() {
    assertThat(PresencePartitions.subject(new Subjects("msgr"), 7)).isEqualTo("msgr.presence.7");
    assertThatThrownBy(() -> PresencePartitions.of("alice", 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
