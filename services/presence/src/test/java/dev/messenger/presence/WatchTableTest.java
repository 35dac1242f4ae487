package dev.messenger.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WatchTableTest {
  private final WatchTable watches = new WatchTable();

  @Test
  void should_name_each_watcher_once_however_many_streams_watch() {
    assertThat(watches.live("alice", new WatchKey("bob", "s-1", "1"), 1_000, 0)).isTrue();
    assertThat(watches.live("alice", new WatchKey("bob", "s-2", "9"), 1_000, 0)).isTrue();
    watches.live("alice", new WatchKey("carol", "s-1", "2"), 1_000, 0);

    assertThat(watches.watchersOf("alice", 10)).containsExactlyInAnyOrder("bob", "carol");
    assertThat(watches.size()).isEqualTo(3);
  }

  @Test
  void should_treat_a_refresh_as_old_and_a_watch_after_expiry_as_new() {
    watches.live("alice", new WatchKey("bob", "s-1", "1"), 1_000, 0);

    assertThat(watches.live("alice", new WatchKey("bob", "s-1", "1"), 2_000, 500)).isFalse();
    assertThat(watches.live("alice", new WatchKey("bob", "s-1", "1"), 9_000, 2_000)).isTrue();
  }

  @Test
  void should_forget_ended_expired_and_dead_servers_watches() {
    watches.live("alice", new WatchKey("bob", "s-1", "1"), 1_000, 0);
    watches.live("alice", new WatchKey("carol", "s-2", "2"), 5_000, 0);
    watches.live("alice", new WatchKey("dave", "s-3", "3"), 5_000, 0);

    assertThat(watches.watchersOf("alice", 1_000)).containsExactlyInAnyOrder("carol", "dave");
    watches.sweep(1_000);
    watches.serverGone("s-2");
    watches.ended("alice", new WatchKey("dave", "s-3", "3"));

    assertThat(watches.watchersOf("alice", 1_000)).isEmpty();
    assertThat(watches.size()).isZero();
  }
}
