package dev.messenger.router.log;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.GroupChange;
import dev.messenger.api.v1.GroupChangeKind;
import dev.messenger.api.v1.GroupMember;
import dev.messenger.api.v1.Message;
import dev.messenger.history.store.AsyncCql;
import dev.messenger.history.store.GroupTable;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.history.store.StoredGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Projects groups from their SYSTEM messages into {@code group_members} (one partition per group: a row per
 * member with role and since_seq, static title, created_ms and version) and the member set of the group's
 * {@code conversations} row, which membership checks read.
 *
 * <p>Every cell is written {@code USING TIMESTAMP <seq of the change>} (removals are deletes at that
 * timestamp), so replaying a change, or applying changes out of order, always ends at the state of the
 * highest seq applied. The conversations row's kind and created_ms use the fixed timestamp 1, as for 1:1 rows.
 */
final class GroupWrites {
  private final CqlSession session;
  private final HistoryConfig config;
  private final GroupTable groups;
  private final PreparedStatement joinMember;
  private final PreparedStatement setRole;
  private final PreparedStatement deleteMember;
  private final PreparedStatement setVersion;
  private final PreparedStatement setTitle;
  private final PreparedStatement setCreated;
  private final PreparedStatement addToConversation;
  private final PreparedStatement removeFromConversation;
  private final PreparedStatement createConversation;
  private final PreparedStatement titleConversation;
  private final PreparedStatement memberTitle;
  private final PreparedStatement joinedRead;

  GroupWrites(CqlSession session, HistoryConfig config, GroupTable groups) {
    this.session = session;
    this.config = config;
    this.groups = groups;
    String table = config.table("group_members");
    String conversations = config.table("conversations");
    this.joinMember = session.prepare("UPDATE " + table
        + " USING TIMESTAMP ? SET role = ?, since_seq = ? WHERE conversation_id = ? AND user_id = ?");
    this.setRole = session.prepare(
        "UPDATE " + table + " USING TIMESTAMP ? SET role = ? WHERE conversation_id = ? AND user_id = ?");
    this.deleteMember =
        session.prepare("DELETE FROM " + table + " USING TIMESTAMP ? WHERE conversation_id = ? AND user_id = ?");
    this.setVersion =
        session.prepare("UPDATE " + table + " USING TIMESTAMP ? SET version = ? WHERE conversation_id = ?");
    this.setTitle = session.prepare("UPDATE " + table + " USING TIMESTAMP ? SET title = ? WHERE conversation_id = ?");
    this.setCreated = session.prepare("UPDATE " + table + " USING TIMESTAMP 1 SET created_ms = ? WHERE conversation_id = ?");
    this.addToConversation = session.prepare(
        "UPDATE " + conversations + " USING TIMESTAMP ? SET members = members + ? WHERE conversation_id = ?");
    this.removeFromConversation = session.prepare(
        "UPDATE " + conversations + " USING TIMESTAMP ? SET members = members - ? WHERE conversation_id = ?");
    this.createConversation = session.prepare(
        "UPDATE " + conversations + " USING TIMESTAMP 1 SET kind = ?, created_ms = ? WHERE conversation_id = ?");
    this.titleConversation =
        session.prepare("UPDATE " + conversations + " USING TIMESTAMP ? SET title = ? WHERE conversation_id = ?");
    this.memberTitle = session.prepare("UPDATE " + config.table("user_conversations")
        + " USING TIMESTAMP ? SET title = ? WHERE user_id = ? AND conversation_id = ?");
    this.joinedRead = session.prepare("UPDATE " + config.table("user_conversations")
        + " USING TIMESTAMP ? SET read_seq = ? WHERE user_id = ? AND conversation_id = ?");
  }

  /** Applies one SYSTEM message's change: two single-partition batches (members, conversation row). */
  CompletionStage<Void> apply(Message message) {
    GroupChange change = message.getGroupChange();
    long seq = message.getSeq();
    String id = message.getConversationId();
    boolean joining = change.getKind() == GroupChangeKind.GROUP_CHANGE_KIND_CREATED
        || change.getKind() == GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_ADDED;
    BatchStatementBuilder members = BatchStatement.builder(DefaultBatchType.UNLOGGED);
    BatchStatementBuilder conversation = BatchStatement.builder(DefaultBatchType.UNLOGGED);
    List<String> joined = new ArrayList<>();
    for (GroupMember member : change.getMembersList()) {
      members.addStatement(joining
          ? joinMember.bind(seq, member.getRoleValue(), seq, id, member.getUserId())
          : setRole.bind(seq, member.getRoleValue(), id, member.getUserId()));
      joined.add(member.getUserId());
    }
    for (String removed : change.getRemovedUserIdsList()) {
      members.addStatement(deleteMember.bind(seq, id, removed));
    }
    members.addStatement(setVersion.bind(seq, seq, id));
    if (!change.getTitle().isEmpty()) {
      members.addStatement(setTitle.bind(seq, change.getTitle(), id));
      conversation.addStatement(titleConversation.bind(seq, change.getTitle(), id));
    }
    if (change.getKind() == GroupChangeKind.GROUP_CHANGE_KIND_CREATED) {
      members.addStatement(setCreated.bind(message.getServerTimeMs(), id));
      conversation.addStatement(createConversation.bind(
          ConversationKind.CONVERSATION_KIND_GROUP.getNumber(), message.getServerTimeMs(), id));
    }
    if (joining && !joined.isEmpty()) {
      conversation.addStatement(addToConversation.bind(seq, Set.copyOf(joined), id));
    }
    if (change.getRemovedUserIdsCount() > 0) {
      conversation.addStatement(removeFromConversation.bind(seq, Set.copyOf(change.getRemovedUserIdsList()), id));
    }
    CompletionStage<Void> first = execute(members.build());
    BatchStatement second = conversation.build();
    return second.size() == 0 ? first : first.thenCompose(done -> execute(second));
  }

  /**
   * The group's title in the conversation list of each member a change concerns: everyone on creation and
   * rename, the added members on an add (with the title as stored), whose read marker also starts just before
   * the entry that added them (a max-register: a higher marker from an earlier membership stays), so their
   * unread count covers only what they can see. At most 64 writes in flight.
   */
  CompletionStage<Void> applyTitles(Message message, java.util.Collection<String> recipients) {
    GroupChange change = message.getGroupChange();
    String id = message.getConversationId();
    long seq = message.getSeq();
    CompletionStage<String> title;
    java.util.Collection<String> who;
    if (!change.getTitle().isEmpty()) {
      title = java.util.concurrent.CompletableFuture.completedFuture(change.getTitle());
      who = recipients;
    } else if (change.getKind() == GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_ADDED) {
      title = groups.find(id).thenApply(g -> g.map(StoredGroup::title).orElse(""));
      who = change.getMembersList().stream().map(GroupMember::getUserId).toList();
    } else {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
    return title.thenCompose(t -> {
      if (t.isEmpty()) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
      }
      boolean added = change.getKind() == GroupChangeKind.GROUP_CHANGE_KIND_MEMBERS_ADDED;
      List<java.util.function.Supplier<CompletionStage<?>>> writes = new ArrayList<>();
      for (String member : who) {
        BatchStatementBuilder row = BatchStatement.builder(DefaultBatchType.UNLOGGED)
            .addStatement(memberTitle.bind(seq, t, member, id));
        if (added) {
          row.addStatement(joinedRead.bind(seq - 1, seq - 1, member, id));
        }
        writes.add(() -> session.executeAsync(row.build()
            .setConsistencyLevel(config.consistency()).setIdempotent(true)));
      }
      return AsyncCql.allOf(writes, AsyncCql.MAX_IN_FLIGHT);
    });
  }

  private CompletionStage<Void> execute(BatchStatement batch) {
    return session
        .executeAsync(batch.setConsistencyLevel(config.consistency()).setIdempotent(true))
        .thenApply(rs -> null);
  }
}
