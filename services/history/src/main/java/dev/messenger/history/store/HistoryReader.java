package dev.messenger.history.store;

import dev.messenger.common.ConversationIds;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import dev.messenger.api.v1.ConversationSummary;
import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The read path, for the History service and for session servers' catch-up. Reads only the caller's own
 * partitions ({@code user_conversations}, {@code user_messages}); membership checks read the conversation's
 * row. Authorization is the caller's job: check {@link #isMember} before {@link #page}.
 */
public final class HistoryReader {
  /** Concurrent per-conversation reads of one {@link #since} call. */
  private static final int SYNC_PARALLELISM = 8;

  private final CqlSession session;
  private final HistoryConfig config;
  private final HistoryMetrics metrics;
  private final ConversationTable conversations;
  private final GroupTable groups;
  private final UserMessages copies;
  private final UserChanges changes;
  private final java.time.Clock clock;
  private final PreparedStatement selectConversations;
  private final PreparedStatement selectLastSeq;

  public HistoryReader(CqlSession session, HistoryConfig config, HistoryMetrics metrics, java.time.Clock clock) {
    this.session = session;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    this.changes = new UserChanges(session, config);
    this.conversations = new ConversationTable(session, config);
    this.groups = new GroupTable(session, config);
    this.copies = new UserMessages(session, config);
    String table = config.table("user_conversations");
    this.selectConversations =
        session.prepare("SELECT " + ConversationRow.COLUMNS + " FROM " + table + " WHERE user_id = ?");
    this.selectLastSeq =
        session.prepare("SELECT last_seq FROM " + table + " WHERE user_id = ? AND conversation_id = ?");
  }

  /**
   * Every conversation of the user that has at least one message, most recent activity first. Reads the
   * user's whole {@code user_conversations} partition and sorts it in memory: fine for the thousands of
   * conversations a user has, not meant for millions.
   */
  public CompletionStage<List<ConversationSummary>> conversations(String userId) {
    return metrics.read(
        "conversations",
        () -> rows(userId).thenApply(rows -> rows.stream().map(ConversationRow::toSummary).toList()));
  }

  private CompletionStage<List<ConversationRow>> rows(String userId) {
    Statement<?> statement =
        selectConversations.bind(userId).setConsistencyLevel(config.consistency()).setIdempotent(true);
    return AsyncCql.allRows(session.executeAsync(statement))
        .thenApply(rows -> rows.stream()
            .filter(r -> !r.isNull("last_seq"))
            .map(ConversationRow::from)
            .sorted(ConversationRow.NEWEST_FIRST)
            .toList());
  }

  /** The members of a conversation; empty when it is unknown. */
  public CompletionStage<Optional<java.util.Set<String>>> members(String conversationId) {
    return metrics.read("members", () -> conversations.members(conversationId));
  }

  /** The group as projected (members, roles, title, version); empty when it was never created. */
  public CompletionStage<Optional<StoredGroup>> group(String conversationId) {
    return metrics.read("group", () -> groups.find(conversationId));
  }

  /** Every message of the conversation up to this seq is projected (0 when none). */
  public CompletionStage<Long> projectedSeq(String conversationId) {
    return metrics.read("conversation", () -> conversations.find(conversationId))
        .thenApply(info -> info.map(ConversationInfo::projectedSeq).orElse(0L));
  }

  /**
   * True when the user belongs to the conversation. A 1:1 id names its two members, so that needs no read
   * (the user of a 1:1 conversation that has no message yet is a member of an empty conversation); any other
   * conversation must exist and list the user.
   */
  public CompletionStage<Boolean> isMember(String userId, String conversationId) {
    Optional<ConversationIds.Pair> direct = ConversationIds.directMembers(conversationId);
    if (direct.isPresent()) {
      return CompletableFuture.completedFuture(
          direct.get().first().equals(userId) || direct.get().second().equals(userId));
    }
    return metrics.read(
        "members",
        () -> conversations.members(conversationId).thenApply(m -> m.map(s -> s.contains(userId)).orElse(false)));
  }

  /** The members of a conversation now (empty when unknown). */
  public CompletionStage<java.util.Set<String>> currentMembers(String conversationId) {
    return metrics.read("members",
        () -> conversations.members(conversationId).thenApply(m -> m.orElse(java.util.Set.of())));
  }

  /** The conversation's last seq as the user's copy has it (0 when none). */
  public CompletionStage<Long> lastSeqOf(String userId, String conversationId) {
    return metrics.read("last_seq", () -> lastSeq(userId, conversationId).thenApply(last -> last.orElse(0L)));
  }

  /**
   * True when the user may read their copies of the conversation: a member now, or a former member of a
   * group, who keeps what they had (their copies end at the entry that removed them).
   */
  public CompletionStage<Boolean> mayRead(String userId, String conversationId) {
    return isMember(userId, conversationId).thenCompose(member -> member || !ConversationIds.isGroup(conversationId)
        ? CompletableFuture.completedFuture(member)
        : lastSeq(userId, conversationId).thenApply(java.util.Optional::isPresent));
  }

  /**
   * A page of the user's copy of a conversation, ascending, at most {@code pageSize} messages, with whether
   * more lie beyond it in the anchor's direction. Empty when the user has no copies.
   */
  public CompletionStage<MessagePage> page(String userId, String conversationId, PageAnchor anchor, int pageSize) {
    if (pageSize <= 0) {
      throw new IllegalArgumentException("pageSize must be positive");
    }
    return metrics.read(
        "page",
        () ->
            lastSeq(userId, conversationId)
                .thenCompose(last -> last.isEmpty()
                    ? CompletableFuture.completedFuture(new MessagePage(List.of(), false))
                    : pageUpTo(userId, conversationId, anchor, pageSize, last.get())));
  }

  private CompletionStage<MessagePage> pageUpTo(
      String userId, String conversationId, PageAnchor anchor, int pageSize, long lastSeq) {
    if (anchor.direction() == PageAnchor.Direction.AFTER) {
      return copies
          .after(userId, conversationId, anchor.seq(), lastSeq, pageSize + 1)
          .thenApply(found -> found.size() > pageSize
              ? new MessagePage(found.subList(0, pageSize), true)
              : new MessagePage(found, false));
    }
    long before = anchor.seq() == 0 || anchor.seq() > lastSeq ? lastSeq + 1 : anchor.seq();
    return copies
        .before(userId, conversationId, before, pageSize + 1)
        .thenApply(found -> found.size() > pageSize
            ? new MessagePage(found.subList(found.size() - pageSize, found.size()), true)
            : new MessagePage(found, false));
  }

  private CompletionStage<Optional<Long>> lastSeq(String userId, String conversationId) {
    Statement<?> statement =
        selectLastSeq.bind(userId, conversationId).setConsistencyLevel(config.consistency()).setIdempotent(true);
    return session
        .executeAsync(statement)
        .thenApply(rs -> Optional.ofNullable(rs.one())
            .filter(row -> !row.isNull("last_seq"))
            .map(row -> row.getLong("last_seq")));
  }

  /**
   * Everything the user's conversations hold beyond {@code cursor}, at most {@code maxMessages} messages:
   * per conversation in seq order, bounded by each conversation's {@code last_seq} as read at the start.
   * {@code complete} is true when nothing stored at that moment is left out. Conversations absent from the
   * cursor start at 0. With the cursor's {@code synced_at_ms} (a complete sync within the last 7 days),
   * only the conversations changed since are examined: the cost follows what was missed, not the number of
   * conversations. A complete result's cursor carries the time this read began.
   */
  public CompletionStage<SyncResult> since(String userId, Cursor cursor, int maxMessages) {
    if (maxMessages <= 0) {
      throw new IllegalArgumentException("maxMessages must be positive");
    }
    long startedAt = clock.millis();
    return metrics.read("since", () -> candidates(userId, cursor, startedAt)
        .thenCompose(rows -> readBeyond(userId, cursor, rows, maxMessages, startedAt)));
  }

  private CompletionStage<List<ConversationRow>> candidates(String userId, Cursor cursor, long nowMs) {
    if (!UserChanges.covers(cursor.getSyncedAtMs(), nowMs)) {
      return rows(userId);
    }
    return changes.since(userId, cursor.getSyncedAtMs(), nowMs).thenApply(changed -> changed.entrySet().stream()
        .map(e -> new ConversationRow(e.getKey(), ConversationIds.kindOf(e.getKey()), "", "", e.getValue(), null,
            e.getValue(), 0))
        .sorted(ConversationRow.NEWEST_FIRST)
        .toList());
  }

  private CompletionStage<SyncResult> readBeyond(
      String userId, Cursor cursor, List<ConversationRow> rows, int maxMessages, long startedAt) {
    SyncPlan plan = SyncPlan.of(cursor, rows, maxMessages);
    List<Supplier<CompletionStage<List<Message>>>> tasks = new ArrayList<>();
    for (SyncPlan.Read read : plan.reads()) {
      tasks.add(() -> copies.after(userId, read.conversationId(), read.afterSeq(), read.upToSeq(), read.limit()));
    }
    return AsyncCql.inParallel(tasks, SYNC_PARALLELISM)
        .thenApply(found -> plan.assemble(cursor, found, startedAt, rows.size()));
  }
}
