package dev.messenger.presence.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.messenger.common.Subjects;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.internal.v1.LiveStream;
import dev.messenger.internal.v1.PresenceCommand;
import dev.messenger.internal.v1.PresenceReport;
import dev.messenger.internal.v1.StreamKey;
import dev.messenger.internal.v1.WatchEntry;
import dev.messenger.presence.MutableClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PresenceReporterTest {
  private static final Subjects SUBJECTS = new Subjects("rt");
  private static final int PARTITIONS = 8;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final PresenceReporter reporter = PresenceReporter.start(
      (subject, payload) -> sent.add(new Sent(subject, parse(payload))),
      PresenceReporterConfig.defaults(SUBJECTS, "session-1")
          .withPartitions(PARTITIONS)
          .withRefreshInterval(Duration.ofHours(1))
          .withSilenceLimit(Duration.ofSeconds(30)),
      executor, true, clock);

  @AfterEach
  void close() {
    reporter.close();
  }

  @Test
  void should_report_an_opened_stream_on_the_subject_of_its_users_partition() {
    reporter.streamOpened("alice", "phone", "s1");

    Sent message = awaitOne();
    assertThat(message.subject()).isEqualTo(subjectOf("alice"));
    assertThat(message.report().getServerId()).isEqualTo("session-1");
    assertThat(message.report().getTtlMs()).isEqualTo(3 * 3_600_000);
    assertThat(message.report().getLiveStreamsList()).containsExactly(
        LiveStream.newBuilder().setUserId("alice").setDeviceId("phone").setStreamId("s1").build());
  }

  @Test
  void should_end_the_stream_and_its_watches_when_it_closes() {
    reporter.streamOpened("alice", "phone", "s1");
    reporter.watch("alice", "s1", List.of("bob"), List.of());
    await().until(() -> sent.size() == 2);
    assertThat(sent.get(1).subject()).isEqualTo(subjectOf("bob"));
    assertThat(sent.get(1).report().getLiveWatches(0).getSendCurrent()).isTrue();
    sent.clear();

    reporter.streamClosed("alice", "s1");

    await().until(() -> !sent.isEmpty() && endedEntries() == 2);
    assertThat(sent).flatExtracting(s -> s.report().getEndedStreamsList())
        .containsExactly(StreamKey.newBuilder().setUserId("alice").setStreamId("s1").build());
    assertThat(sent).flatExtracting(s -> s.report().getEndedWatchesList())
        .extracting(WatchEntry::getWatchedUserId).containsExactly("bob");
  }

  @Test
  void should_refuse_more_watches_than_the_limit_and_change_nothing() {
    List<String> tooMany = new java.util.ArrayList<>();
    for (int i = 0; i <= PresenceReporterConfig.DEFAULT_WATCH_LIMIT; i++) {
      tooMany.add("user-" + i);
    }

    reporter.streamOpened("alice", "phone", "s1");

    assertThatThrownBy(() -> reporter.watch("alice", "s1", tooMany, List.of()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(ApiErrors.reasonOf(e)).isEqualTo("WATCH_LIMIT");
        });
    reporter.watch("alice", "s1", tooMany.subList(0, PresenceReporterConfig.DEFAULT_WATCH_LIMIT), List.of());
    await().until(() -> liveWatches() == PresenceReporterConfig.DEFAULT_WATCH_LIMIT);
  }

  @Test
  void should_refuse_malformed_user_ids() {
    assertThatThrownBy(() -> reporter.watch("alice", "s1", List.of("no spaces"), List.of()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(ApiErrors.reasonOf(e)).isEqualTo("INVALID_USER_ID"));
  }

  @Test
  void should_apply_removals_before_additions_and_ignore_watching_oneself() {
    reporter.streamOpened("alice", "phone", "s1");
    reporter.watch("alice", "s1", List.of("bob", "carol", "alice"), List.of());
    reporter.watch("alice", "s1", List.of("bob"), List.of("bob", "carol"));

    await().until(() -> liveWatches() == 2 && endedEntries() == 1);
    assertThat(sent).flatExtracting(s -> s.report().getEndedWatchesList())
        .extracting(WatchEntry::getWatchedUserId).containsExactly("carol");
  }

  @Test
  void should_ignore_watches_of_a_stream_that_is_not_open() {
    reporter.watch("alice", "gone", List.of("bob"), List.of());
    reporter.streamOpened("alice", "phone", "s1");

    awaitOne();
    assertThat(liveWatches()).isZero();
  }

  /**
   * WatchPresence reads the watched user's state, then its watch reaches presence: a change decided before the
   * watch arrived and stored after that read would reach neither (WebChatIT saw a peer offline for good), so
   * presence answers a new standalone watch with the current state too (PresenceEngine#currentWanted).
   */
  @Test
  void should_ask_for_the_current_state_on_a_new_standalone_watch_too() {
    List<Sent> standaloneSent = new CopyOnWriteArrayList<>();
    PresenceReporter standalone = PresenceReporter.start(
        (subject, payload) -> standaloneSent.add(new Sent(subject, parse(payload))),
        PresenceReporterConfig.defaults(SUBJECTS, "presence-1").withPartitions(PARTITIONS)
            .withWatchMode(PresenceReporterConfig.WatchMode.STANDALONE),
        Executors.newSingleThreadScheduledExecutor(), true, clock);
    try {
      standalone.watch("alice", "watch-1", List.of("bob"), List.of());

      await().until(() -> standaloneSent.size() == 1);
      assertThat(standaloneSent.get(0).report().getLiveWatches(0).getSendCurrent()).isTrue();
    } finally {
      standalone.close();
    }
  }

  @Test
  void should_report_everything_again_on_refresh_without_asking_for_current_state() {
    reporter.streamOpened("alice", "phone", "s1");
    reporter.streamOpened("bob", "laptop", "s2");
    reporter.watch("alice", "s1", List.of("carol"), List.of());
    await().until(() -> sent.size() == 3);
    sent.clear();

    reporter.refresh();

    await().until(() -> liveStreams() == 2 && liveWatches() == 1);
    assertThat(sent).flatExtracting(s -> s.report().getLiveWatchesList())
        .allSatisfy(w -> assertThat(w.getSendCurrent()).isFalse());
  }

  @Test
  void should_leave_out_a_silent_stream_until_it_shows_life_again() {
    reporter.streamOpened("alice", "phone", "s1");
    await().until(() -> sent.size() == 1);
    sent.clear();
    clock.advance(Duration.ofSeconds(31));

    reporter.refresh();
    reporter.streamOpened("bob", "laptop", "s2"); // published after anything the refresh queued
    await().until(() -> liveStreams() >= 1);
    assertThat(sent).flatExtracting(s -> s.report().getLiveStreamsList())
        .extracting(LiveStream::getUserId).containsExactly("bob");
    sent.clear();

    reporter.heartbeat("alice", "s1");
    await().until(() -> liveStreams() == 1);
  }

  @Test
  void should_report_nothing_after_close() {
    reporter.close();

    reporter.streamOpened("alice", "phone", "s1");
    reporter.refresh();

    assertThat(sent).isEmpty();
  }

  private Sent awaitOne() {
    await().until(() -> sent.size() == 1);
    return sent.get(0);
  }

  private int liveStreams() {
    return sent.stream().mapToInt(s -> s.report().getLiveStreamsCount()).sum();
  }

  private int liveWatches() {
    return sent.stream().mapToInt(s -> s.report().getLiveWatchesCount()).sum();
  }

  private int endedEntries() {
    return sent.stream()
        .mapToInt(s -> s.report().getEndedStreamsCount() + s.report().getEndedWatchesCount())
        .sum();
  }

  private static String subjectOf(String user) {
    return PresencePartitions.subject(SUBJECTS, PresencePartitions.of(user, PARTITIONS));
  }

  private static PresenceReport parse(byte[] payload) {
    try {
      return PresenceCommand.parseFrom(payload).getReport();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private record Sent(String subject, PresenceReport report) {}
}
