package dev.messenger.presence.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.cql.AsyncRows;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link PresenceAudience} from history's tables: the {@code conversations} rows of the 1:1 conversations
 * of the viewer with the users asked about (one read; the router writes that row before the first message
 * is acknowledged, so a peer is visible as soon as either has written), then, for those left, the viewer's
 * groups ({@code user_conversations}) and the users' rows in each group's {@code group_members} partition
 * (one read per group, stopping once every user is settled). Lists go in chunks of {@value #IN_CHUNK}:
 * ScyllaDB refuses longer IN restrictions.
 */
public final class CqlPresenceAudience implements PresenceAudience {
  static final int IN_CHUNK = 100;
  /** Groups of the viewer looked at, at most: co-members of further groups are not seen. */
  static final int MAX_GROUPS = 1_000;

  private final CqlSession session;
  private final SimpleStatement conversationsIn;
  private final SimpleStatement groupsOf;
  private final SimpleStatement membersIn;
  private volatile Prepared prepared;

  public CqlPresenceAudience(CqlSession session, PresenceStoreConfig config) {
    this.session = session;
    String conversations = config.table("user_conversations");
    this.conversationsIn = statement("SELECT conversation_id FROM " + config.table("conversations")
        + " WHERE conversation_id IN ?", config);
    // Group ids start with "g:"; ';' is the next character, so the range holds exactly the groups.
    this.groupsOf = statement("SELECT conversation_id FROM " + conversations
        + " WHERE user_id = ? AND conversation_id >= 'g:' AND conversation_id < 'g;' LIMIT " + MAX_GROUPS, config);
    this.membersIn = statement("SELECT user_id FROM " + config.table("group_members")
        + " WHERE conversation_id = ? AND user_id IN ?", config);
  }

  private static SimpleStatement statement(String cql, PresenceStoreConfig config) {
    return SimpleStatement.newInstance(cql).setConsistencyLevel(config.consistency()).setIdempotent(true);
  }

  @Override
  public CompletionStage<Set<String>> visibleTo(String viewer, Collection<String> users) {
    Set<String> visible = new LinkedHashSet<>();
    List<String> others = new ArrayList<>();
    for (String user : new LinkedHashSet<>(users)) {
      if (user.equals(viewer)) {
        visible.add(user);
      } else {
        others.add(user);
      }
    }
    if (others.isEmpty()) {
      return CompletableFuture.completedFuture(visible);
    }
    return prepared().thenCompose(p -> peers(p, viewer, others)
        .thenCompose(peers -> {
          visible.addAll(peers);
          Set<String> left = new LinkedHashSet<>(others);
          left.removeAll(peers);
          return left.isEmpty() ? CompletableFuture.completedFuture(Set.<String>of()) : coMembers(p, viewer, left);
        })
        .thenApply(coMembers -> {
          visible.addAll(coMembers);
          return visible;
        }));
  }

  /** The users the viewer has a 1:1 conversation with. */
  private CompletionStage<Set<String>> peers(Prepared p, String viewer, List<String> users) {
    List<CompletionStage<Set<String>>> chunks = new ArrayList<>();
    for (List<String> chunk : chunks(users)) {
      List<String> ids = chunk.stream().map(user -> ConversationIds.direct(viewer, user)).toList();
      chunks.add(rows(session.executeAsync(p.conversationsIn.bind(ids)), "conversation_id", new HashSet<>())
          .thenApply(found -> {
            Set<String> peers = new HashSet<>();
            for (String user : chunk) {
              if (found.contains(ConversationIds.direct(viewer, user))) {
                peers.add(user);
              }
            }
            return peers;
          }));
    }
    return all(chunks);
  }

  /** Of {@code users}, the current members of the viewer's groups (the viewer must be one of them too). */
  private CompletionStage<Set<String>> coMembers(Prepared p, String viewer, Set<String> users) {
    return rows(session.executeAsync(p.groupsOf.bind(viewer)), "conversation_id", new ArrayList<>())
        .thenCompose(groups -> nextGroup(p, viewer, groups, 0, users, new HashSet<>()));
  }

  private CompletionStage<Set<String>> nextGroup(Prepared p, String viewer, List<String> groups, int index,
      Set<String> left, Set<String> found) {
    if (index >= groups.size() || left.isEmpty()) {
      return CompletableFuture.completedFuture(found);
    }
    List<String> asked = new ArrayList<>(left);
    asked.add(viewer);
    List<CompletionStage<Set<String>>> chunks = new ArrayList<>();
    for (List<String> chunk : chunks(asked)) {
      chunks.add(rows(session.executeAsync(p.membersIn.bind(groups.get(index), chunk)), "user_id", new HashSet<>()));
    }
    return all(chunks).thenCompose(members -> {
      if (members.contains(viewer)) {
        for (String user : members) {
          if (left.remove(user)) {
            found.add(user);
          }
        }
      }
      return nextGroup(p, viewer, groups, index + 1, left, found);
    });
  }

  private static List<List<String>> chunks(List<String> users) {
    List<List<String>> chunks = new ArrayList<>();
    for (int from = 0; from < users.size(); from += IN_CHUNK) {
      chunks.add(users.subList(from, Math.min(users.size(), from + IN_CHUNK)));
    }
    return chunks;
  }

  private static <C extends Collection<String>> CompletionStage<C> rows(CompletionStage<AsyncResultSet> result,
      String column, C into) {
    return AsyncRows.forEach(result, row -> into.add(row.getString(column))).thenApply(done -> into);
  }

  private static CompletionStage<Set<String>> all(List<CompletionStage<Set<String>>> parts) {
    CompletableFuture<?>[] futures = parts.stream().map(CompletionStage::toCompletableFuture)
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(futures).thenApply(done -> {
      Set<String> union = new HashSet<>();
      for (CompletableFuture<?> future : futures) {
        @SuppressWarnings("unchecked")
        Set<String> part = (Set<String>) future.join();
        union.addAll(part);
      }
      return union;
    });
  }

  private CompletionStage<Prepared> prepared() {
    Prepared current = prepared;
    if (current != null) {
      return CompletableFuture.completedFuture(current);
    }
    CompletableFuture<PreparedStatement> a = session.prepareAsync(conversationsIn).toCompletableFuture();
    CompletableFuture<PreparedStatement> b = session.prepareAsync(groupsOf).toCompletableFuture();
    CompletableFuture<PreparedStatement> c = session.prepareAsync(membersIn).toCompletableFuture();
    return CompletableFuture.allOf(a, b, c).thenApply(done -> {
      Prepared made = new Prepared(a.join(), b.join(), c.join());
      prepared = made;
      return made;
    });
  }

  private record Prepared(PreparedStatement conversationsIn, PreparedStatement groupsOf, PreparedStatement membersIn) {}
}
