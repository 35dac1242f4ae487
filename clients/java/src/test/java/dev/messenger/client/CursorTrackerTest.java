package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.Cursor;
import dev.messenger.client.CursorTracker.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CursorTrackerTest {
  private final CursorTracker tracker =
      new CursorTracker(Cursor.newBuilder().putSeqs("c1", 5).setSyncedAtMs(1_000).build());

  @Test
  void should_let_a_first_sync_begin_each_new_conversation_at_its_latest_page_and_check_gaps_after() {
    CursorTracker fresh = new CursorTracker(Cursor.getDefaultInstance());
    assertThat(fresh.accept("old", 71)).isEqualTo(Verdict.NEXT);
    assertThat(fresh.accept("old", 73)).isEqualTo(Verdict.GAP);
    assertThat(fresh.accept("old", 72)).isEqualTo(Verdict.NEXT);
    fresh.synced(2_000);
    assertThat(fresh.accept("later", 4)).as("once synced, a new conversation starts at 1").isEqualTo(Verdict.GAP);
    assertThat(fresh.accept("later", 1)).isEqualTo(Verdict.NEXT);
  }

  @Test
  void should_classify_deliveries_against_the_accepted_cursor() {
    assertThat(tracker.accept("c1", 5)).isEqualTo(Verdict.DUPLICATE);
    assertThat(tracker.accept("c1", 7)).isEqualTo(Verdict.GAP);
    assertThat(tracker.accept("c1", 6)).isEqualTo(Verdict.NEXT);
    assertThat(tracker.accept("c1", 6)).isEqualTo(Verdict.DUPLICATE);
    assertThat(tracker.accept("new", 2)).isEqualTo(Verdict.GAP);
    assertThat(tracker.accept("new", 1)).isEqualTo(Verdict.NEXT);
  }

  @Test
  void should_resume_from_accepted_but_persist_only_committed() {
    tracker.accept("c1", 6);
    tracker.accept("c1", 7);
    tracker.commit("c1", 6);

    assertThat(tracker.resumeCursor().getSeqsMap()).containsEntry("c1", 7L);
    assertThat(tracker.takeDirty().getSeqsMap()).containsEntry("c1", 6L);
    assertThat(tracker.takeDirty()).isNull();
    assertThat(tracker.committedSnapshot().getSeqsMap()).containsEntry("c1", 6L);
  }
}
