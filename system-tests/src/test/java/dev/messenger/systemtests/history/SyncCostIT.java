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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Sync cost follows what was missed: a user with 2,000 conversations of which 3 changed. */
@WithRealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SyncCostIT {
  private static final int CONVERSATIONS = 2_000;
  private final SettableClock clock = new SettableClock(Instant.parse("2026-06-01T10:00:00Z"));
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
  void should_examine_only_the_conversations_changed_since_the_last_sync() throws Exception {
    List<String> conversations = new ArrayList<>();
    Semaphore inFlight = new Semaphore(64);
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 0; i < CONVERSATIONS; i++) {
      String conversation = "dm:many:peer" + String.format("%04d", i);
      conversations.add(conversation);
      Message first = text(conversation, 1, "peer" + String.format("%04d", i), "hello " + i);
      inFlight.acquire();
      writes.add(log.commit(conversation, List.of(first), 1)
          .thenCompose(done -> log.project(List.of("many", first.getSenderUserId()), List.of(first)))
          .toCompletableFuture()
          .whenComplete((ok, e) -> inFlight.release()));
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);

    // Two hours later, a new device's first sync looks at every conversation.
    clock.advance(Duration.ofHours(2));
    SyncResult first = await(fixture.store.reader().since("many", Cursor.getDefaultInstance(), 5_000));
    assertThat(first.complete()).isTrue();
    assertThat(first.messages()).hasSize(CONVERSATIONS);
    assertThat(first.examined()).isEqualTo(CONVERSATIONS);
    Cursor synced = first.nextCursor();
    assertThat(synced.getSyncedAtMs()).isEqualTo(clock.millis());

    // A day later, three conversations get a message; the device reconnects with its cursor.
    clock.advance(Duration.ofDays(1));
    for (int i : new int[] {7, 700, 1999}) {
      String conversation = conversations.get(i);
      Message next = text(conversation, 2, "many", "again " + i);
      await(log.commit(conversation, List.of(next), 1));
      await(log.project(List.of("many", "peer" + String.format("%04d", i)), List.of(next)));
    }
    clock.advance(Duration.ofMinutes(1));

    SyncResult reconnect = await(fixture.store.reader().since("many", synced, 5_000));
    assertThat(reconnect.examined()).as("conversations looked at").isEqualTo(3);
    assertThat(reconnect.messages()).extracting(Message::getBody)
        .containsExactlyInAnyOrder("again 7", "again 700", "again 1999");
    assertThat(reconnect.complete()).isTrue();

    // Without a sync time (an old cursor), everything is examined again and nothing else is found.
    SyncResult full = await(fixture.store.reader().since("many",
        reconnect.nextCursor().toBuilder().setSyncedAtMs(0).build(), 5_000));
    assertThat(full.examined()).isEqualTo(CONVERSATIONS);
    assertThat(full.messages()).isEmpty();
  }
}
