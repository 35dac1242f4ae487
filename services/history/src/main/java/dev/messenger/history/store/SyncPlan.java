package dev.messenger.history.store;

import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * How one {@link HistoryReader#since} call spends its message budget: conversations in the given order,
 * each read from its cursor up to its {@code last_seq}, until the budget is used up.
 *
 * @param reads the reads to make, in order
 * @param allPlanned false when the budget ran out before every conversation behind its cursor got a read
 */
record SyncPlan(List<Read> reads, boolean allPlanned) {
  /**
   * A device that never completed a sync (cursor without {@code synced_at_ms}) gets this many of the latest
   * messages of each conversation it has nothing of; older pages come on demand through History.
   */
  static final int FIRST_SYNC_PAGE = 50;

  /** Read up to {@code limit} copies with {@code afterSeq < seq <= upToSeq}. */
  record Read(String conversationId, long afterSeq, long upToSeq, int limit) {}

  static SyncPlan of(Cursor cursor, List<ConversationRow> rows, int maxMessages) {
    List<Read> reads = new ArrayList<>();
    long remaining = maxMessages;
    boolean allPlanned = true;
    for (ConversationRow row : rows) {
      long from = startOf(cursor, row);
      if (row.lastSeq() <= from) {
        continue;
      }
      if (remaining == 0) {
        allPlanned = false;
        break;
      }
      int take = (int) Math.min(row.lastSeq() - from, remaining);
      reads.add(new Read(row.conversationId(), from, row.lastSeq(), take));
      remaining -= take;
    }
    return new SyncPlan(List.copyOf(reads), allPlanned);
  }

  /** Where a conversation's catch-up begins: after the cursor's seq, or at the latest page on a first sync. */
  private static long startOf(Cursor cursor, ConversationRow row) {
    if (cursor.getSyncedAtMs() == 0 && !cursor.containsSeqs(row.conversationId())) {
      return Math.max(0, row.lastSeq() - FIRST_SYNC_PAGE);
    }
    return cursor.getSeqsOrDefault(row.conversationId(), 0L);
  }

  /**
   * Joins what the reads found (same order as {@link #reads}) into the result and the advanced cursor; a
   * complete result's cursor is synced as of {@code startedAtMs}.
   */
  SyncResult assemble(Cursor cursor, List<List<Message>> found, long startedAtMs, int examined) {
    Cursor.Builder next = cursor.toBuilder();
    List<Message> messages = new ArrayList<>();
    boolean complete = allPlanned;
    for (int i = 0; i < reads.size(); i++) {
      Read read = reads.get(i);
      List<Message> got = found.get(i);
      messages.addAll(got);
      long reached = read.afterSeq();
      if (!got.isEmpty()) {
        reached = got.get(got.size() - 1).getSeq();
        next.putSeqs(read.conversationId(), reached);
      }
      // Fewer than asked means the member has no more copies up to last_seq (e.g. joined a group late).
      boolean exhausted = reached >= read.upToSeq() || got.size() < read.limit();
      complete &= exhausted;
    }
    if (complete) {
      next.setSyncedAtMs(startedAtMs);
    }
    return new SyncResult(messages, next.build(), complete, examined);
  }
}
