package dev.messenger.systemtests.history;

import static dev.messenger.systemtests.history.HistoryFixture.await;
import static dev.messenger.systemtests.history.HistoryFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Message;
import dev.messenger.router.log.MessageLog;
import dev.messenger.history.store.SyncResult;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.SettableClock;
import dev.messenger.testing.WithRealInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A new device's first sync brings the latest page of each conversation, not whole histories; a device that
 * synced before gets every message of a conversation it has nothing of.
 */
@WithRealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FirstSyncIT {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-07-01T10:00:00Z"));
  private HistoryFixture fixture;
  private MessageLog log;

  @BeforeAll
  void createStore(InfrastructureEndpoints endpoints) {
    fixture = HistoryFixture.create(endpoints, clock);
    log = fixture.log;
  }

  @AfterAll
  void dropStore() {
    fixture.close();
  }

  @Test
  void should_give_a_new_device_the_latest_page_of_each_conversation_and_a_synced_device_everything_new()
      throws Exception {
    store("dm:fsann:fsbob", "fsbob", 120);
    store("dm:fsann:fscid", "fscid", 3);
    clock.advance(Duration.ofMinutes(10));

    SyncResult first = await(fixture.store.reader().since("fsann", Cursor.getDefaultInstance(), 500));

    assertThat(first.complete()).isTrue();
    assertThat(seqsOf(first, "dm:fsann:fsbob")).containsExactlyElementsOf(range(71, 120));
    assertThat(seqsOf(first, "dm:fsann:fscid")).containsExactlyElementsOf(range(1, 3));
    assertThat(first.nextCursor().getSeqsMap()).containsEntry("dm:fsann:fsbob", 120L).containsEntry("dm:fsann:fscid", 3L);
    assertThat(first.nextCursor().getSyncedAtMs()).isPositive();

    // A conversation that begins after the first sync is delivered whole: the device has seen none of it.
    store("dm:fsann:fsdan", "fsdan", 120);
    clock.advance(Duration.ofMinutes(10));
    SyncResult later = await(fixture.store.reader().since("fsann", first.nextCursor(), 500));
    assertThat(later.complete()).isTrue();
    assertThat(seqsOf(later, "dm:fsann:fsdan")).containsExactlyElementsOf(range(1, 120));
    assertThat(later.messages()).extracting(Message::getConversationId).containsOnly("dm:fsann:fsdan");
  }

  private void store(String conversation, String peer, int count) throws Exception {
    for (int from = 1; from <= count; from += 40) {
      List<Message> batch = new ArrayList<>();
      for (int seq = from; seq < Math.min(count + 1, from + 40); seq++) {
        batch.add(text(conversation, seq, seq % 2 == 0 ? "fsann" : peer, "m" + seq));
      }
      await(log.commit(conversation, batch, 1));
      await(log.project(List.of("fsann", peer), batch));
    }
  }

  private static List<Long> seqsOf(SyncResult result, String conversation) {
    return result.messages().stream().filter(m -> m.getConversationId().equals(conversation))
        .map(Message::getSeq).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }
}
