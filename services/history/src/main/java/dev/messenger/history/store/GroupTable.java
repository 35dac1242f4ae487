package dev.messenger.history.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.messenger.api.v1.GroupMember;
import dev.messenger.api.v1.GroupRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Reads groups as projected from their SYSTEM messages ({@code group_members}: one partition per group, a row
 * per member with role and since_seq, static title, created_ms and version). The router's write path writes
 * them ({@code dev.messenger.router.log.GroupWrites}).
 */
public final class GroupTable {
  private final CqlSession session;
  private final HistoryConfig config;
  private final PreparedStatement select;

  public GroupTable(CqlSession session, HistoryConfig config) {
    this.session = session;
    this.config = config;
    String table = config.table("group_members");
    this.select = session.prepare("SELECT user_id, role, since_seq, title, created_ms, version FROM " + table
        + " WHERE conversation_id = ?");
  }

  /** The group as projected; empty when it was never created. */
  public CompletionStage<Optional<StoredGroup>> find(String conversationId) {
    return AsyncCql.allRows(session.executeAsync(
            select.bind(conversationId).setConsistencyLevel(config.consistency()).setIdempotent(true)))
        .thenApply(rows -> {
          if (rows.isEmpty()) {
            return Optional.empty();
          }
          Row first = rows.get(0);
          List<GroupMember> members = new ArrayList<>();
          for (Row row : rows) {
            if (row.isNull("user_id") || row.isNull("role")) {
              continue;
            }
            GroupRole role = GroupRole.forNumber(row.getInt("role"));
            members.add(GroupMember.newBuilder()
                .setUserId(row.getString("user_id"))
                .setRole(role == null ? GroupRole.GROUP_ROLE_MEMBER : role)
                .setSinceSeq(row.getLong("since_seq"))
                .build());
          }
          members.sort(Comparator.comparingLong(GroupMember::getSinceSeq).thenComparing(GroupMember::getUserId));
          return Optional.of(new StoredGroup(conversationId, first.getString("title"), first.getLong("created_ms"),
              first.getLong("version"), members));
        });
  }
}
