package dev.messenger.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.internal.v1.LiveStream;
import dev.messenger.internal.v1.PresenceCommand;
import dev.messenger.internal.v1.PresenceReport;
import dev.messenger.internal.v1.StreamKey;
import dev.messenger.internal.v1.VisibilityChanged;
import dev.messenger.internal.v1.WatchEntry;
import dev.messenger.presence.client.PresencePartitions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PresenceEngineTest {
  private static final int PARTITIONS = 4;
  private static final int TTL_MS = 6_000;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RecordingSink sink = new RecordingSink();
  private final PresenceEngine engine = new PresenceEngine(
      new PresenceTimings(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO), PARTITIONS, sink, clock,
      Duration.ofMinutes(10));

  @BeforeEach
  void ownEverything() {
    for (int p = 0; p < PARTITIONS; p++) {
      engine.acquire(p, Set.of());
    }
  }

  @Test
  void should_publish_a_change_with_the_explicit_watchers_of_the_user() {
    report(partitionOf("alice"), PresenceReport.newBuilder()
        .addLiveWatches(watch("alice", "bob", "w1", true)));
    report(partitionOf("alice"), PresenceReport.newBuilder().addLiveStreams(stream("alice", "s1")));

    assertThat(sink.currentRequests).containsExactly("alice->bob");
    assertThat(sink.changes).containsExactly(new Published(PresenceChange.online("alice"), Set.of("bob")));
  }

  @Test
  void should_not_ask_for_the_current_state_again_when_a_watch_is_only_refreshed() {
    report(partitionOf("alice"), PresenceReport.newBuilder().addLiveWatches(watch("alice", "bob", "w1", true)));
    report(partitionOf("alice"), PresenceReport.newBuilder().addLiveWatches(watch("alice", "bob", "w1", true)));

    assertThat(sink.currentRequests).containsExactly("alice->bob");
  }

  @Test
  void should_take_the_users_of_a_dead_session_server_offline_and_ignore_its_late_reports() {
    report(partitionOf("alice"), PresenceReport.newBuilder().addLiveStreams(stream("alice", "s1")));
    sink.changes.clear();

    engine.serverGone("session-1");
    report(partitionOf("alice"), PresenceReport.newBuilder().addLiveStreams(stream("alice", "s1")));
    clock.advance(Duration.ofSeconds(5));
    engine.tick();

    assertThat(sink.changes).extracting(Published::change)
        .containsExactly(PresenceChange.offline("alice", clock.millis() - 5_000));
  }

  @Test
  void should_accept_reports_of_a_server_that_registers_again() {
    engine.serverGone("session-1");
    engine.serverSeen("session-1");

    report(partitionOf("alice"), PresenceReport.newBuilder().addLiveStreams(stream("alice", "s1")));

    assertThat(sink.changes).extracting(Published::change).containsExactly(PresenceChange.online("alice"));
  }

  @Test
  void should_end_a_stream_and_go_offline_after_the_grace_period() {
    int partition = partitionOf("alice");
    report(partition, PresenceReport.newBuilder().addLiveStreams(stream("alice", "s1")));
    report(partition, PresenceReport.newBuilder()
        .addEndedStreams(StreamKey.newBuilder().setUserId("alice").setStreamId("s1")));

    clock.advance(Duration.ofMillis(4_999));
    engine.tick();
    assertThat(sink.changes).hasSize(1);
    clock.advance(Duration.ofMillis(1));
    engine.tick();

    assertThat(sink.changes).extracting(Published::change).last()
        .isEqualTo(PresenceChange.offline("alice", clock.millis() - 5_000));
  }

  @Test
  void should_ignore_users_reported_on_the_wrong_partition() {
    int wrong = (partitionOf("alice") + 1) % PARTITIONS;

    report(wrong, PresenceReport.newBuilder().addLiveStreams(stream("alice", "s1")));

    assertThat(sink.changes).isEmpty();
  }

  @Test
  void should_ignore_partitions_it_does_not_own() {
    engine.release(partitionOf("alice"));

    report(partitionOf("alice"), PresenceReport.newBuilder().addLiveStreams(stream("alice", "s1")));

    assertThat(sink.changes).isEmpty();
    assertThat(engine.partitions()).hasSize(PARTITIONS - 1);
  }

  @Test
  void should_pass_visibility_changes_on_with_the_explicit_watchers() {
    int partition = partitionOf("alice");
    report(partition, PresenceReport.newBuilder().addLiveWatches(watch("alice", "bob", "w1", false)));

    engine.apply(partition, PresenceCommand.newBuilder()
        .setVisibility(VisibilityChanged.newBuilder().setUserId("alice").setHidden(true)).build());

    assertThat(sink.visibility).containsExactly("alice:[bob]");
  }

  @Test
  void should_count_the_users_shown_online() {
    report(partitionOf("alice"), PresenceReport.newBuilder().addLiveStreams(stream("alice", "s1")));
    report(partitionOf("bob"), PresenceReport.newBuilder().addLiveStreams(stream("bob", "s2")));

    assertThat(engine.onlineUsers()).isEqualTo(2);
    assertThat(engine.isPublishedOnline("alice")).isTrue();
  }

  private void report(int partition, PresenceReport.Builder report) {
    engine.onMessage(partition, PresenceCommand.newBuilder()
        .setReport(report.setServerId("session-1").setTtlMs(TTL_MS)).build().toByteArray());
  }

  private static LiveStream stream(String user, String streamId) {
    return LiveStream.newBuilder().setUserId(user).setDeviceId("phone").setStreamId(streamId).build();
  }

  private static WatchEntry watch(String watched, String watcher, String streamId, boolean sendCurrent) {
    return WatchEntry.newBuilder().setWatchedUserId(watched).setWatcherUserId(watcher)
        .setWatcherStreamId(streamId).setSendCurrent(sendCurrent).build();
  }

  private static int partitionOf(String user) {
    return PresencePartitions.of(user, PARTITIONS);
  }

  private record Published(PresenceChange change, Set<String> watchers) {}

  private static final class RecordingSink implements ChangeSink {
    final List<Published> changes = new ArrayList<>();
    final List<String> currentRequests = new ArrayList<>();
    final List<String> visibility = new ArrayList<>();

    @Override
    public void changed(int partition, PresenceChange change, Set<String> explicitWatchers) {
      changes.add(new Published(change, Set.copyOf(explicitWatchers)));
    }

    @Override
    public void currentWanted(String watchedUserId, String watcherUserId) {
      currentRequests.add(watchedUserId + "->" + watcherUserId);
    }

    @Override
    public void visibilityChanged(String userId, Set<String> explicitWatchers) {
      visibility.add(userId + ":" + explicitWatchers);
    }
  }
}
