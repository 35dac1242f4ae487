package dev.messenger.router;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A unit-test CommitLog with the semantics of the CQL one: log rows are last-write-wins by epoch (the write
 * timestamp), shard epochs are raised by claims, projection is checkpointed. Failures can be injected.
 */
final class InMemoryCommitLog implements CommitLog {
  /** A log row and the epoch it was written with. */
  record Row(Message message, long epoch) {}

  final Map<String, NavigableMap<Long, Row>> logs = new ConcurrentHashMap<>();
  final Map<Integer, Long> epochs = new ConcurrentHashMap<>();
  final Map<String, SendAck> clientIds = new ConcurrentHashMap<>();
  final Map<String, NavigableMap<Long, Message>> copies = new ConcurrentHashMap<>();
  final Map<String, Long> projected = new ConcurrentHashMap<>();
  /** Groups as projected from their SYSTEM messages. */
  final Map<String, GroupState> groups = new ConcurrentHashMap<>();
  final Set<String> marks = ConcurrentHashMap.newKeySet();
  /** Per conversation the last seal: {epoch, head}; a seal of a higher epoch replaces a lower one. */
  final Map<String, long[]> seals = new ConcurrentHashMap<>();
  final AtomicInteger markWrites = new AtomicInteger();
  final AtomicInteger epochReads = new AtomicInteger();
  final AtomicInteger headLoads = new AtomicInteger();
  final AtomicInteger clientIdLookups = new AtomicInteger();
  /** Projections that did not start right after the checkpoint: a projector must never skip. */
  final List<String> skippedProjections = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** When set, the next write is applied but answered with an error: its outcome looks unknown. */
  volatile boolean failNextWriteAfterApplying;
  /** Writes wait for this before they are applied, so that a test can order them against others. */
  volatile CompletableFuture<Void> writeGate = CompletableFuture.completedFuture(null);
  /** Log writes asked for so far, applied or still waiting at the gate. */
  final AtomicInteger writesStarted = new AtomicInteger();
  /** This many projection attempts fail before any is applied. */
  final AtomicInteger failingProjections = new AtomicInteger();
  /** Conversations whose projections always fail. */
  final Set<String> brokenProjections = ConcurrentHashMap.newKeySet();
  /** Projections wait for this. */
  volatile CompletableFuture<Void> projectionGate = CompletableFuture.completedFuture(null);
  /** Client id lookups wait for this. */
  volatile CompletableFuture<Void> clientIdGate = CompletableFuture.completedFuture(null);

  NavigableMap<Long, Row> log(String conversationId) {
    return logs.computeIfAbsent(conversationId, c -> new ConcurrentSkipListMap<>());
  }

  /** The log's messages by seq. */
  NavigableMap<Long, Message> messages(String conversationId) {
    NavigableMap<Long, Message> out = new java.util.TreeMap<>();
    log(conversationId).forEach((seq, row) -> out.put(seq, row.message()));
    return out;
  }

  @Override
  public synchronized CompletionStage<Long> claimShard(int shard, String owner) {
    return CompletableFuture.completedFuture(epochs.merge(shard, 1L, Long::sum));
  }

  @Override
  public CompletionStage<Long> shardEpoch(int shard) {
    epochReads.incrementAndGet();
    return CompletableFuture.completedFuture(epochs.getOrDefault(shard, 0L));
  }

  @Override
  public CompletionStage<Long> loadHead(String conversationId) {
    headLoads.incrementAndGet();
    long[] seal = seals.getOrDefault(conversationId, new long[] {0, Long.MAX_VALUE});
    long head = 0;
    for (Map.Entry<Long, Row> row : log(conversationId).descendingMap().entrySet()) {
      if (row.getKey() <= seal[1] || row.getValue().epoch() >= seal[0]) {
        head = row.getKey();
        break;
      }
    }
    return CompletableFuture.completedFuture(head);
  }

  @Override
  public synchronized CompletionStage<Void> seal(String conversationId, long epoch, long head) {
    seals.merge(conversationId, new long[] {epoch, head}, (old, fresh) -> fresh[0] >= old[0] ? fresh : old);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> write(String conversationId, List<Message> messages, long epoch) {
    writesStarted.incrementAndGet();
    return writeGate.thenCompose(open -> {
      synchronized (this) {
        NavigableMap<Long, Row> log = log(conversationId);
        for (Message m : messages) {
          Row existing = log.get(m.getSeq());
          if (existing == null || existing.epoch() <= epoch) {
            log.put(m.getSeq(), new Row(m, epoch));
          }
        }
        if (failNextWriteAfterApplying) {
          failNextWriteAfterApplying = false;
          return CompletableFuture.failedFuture(new IllegalStateException("write timed out"));
        }
        return CompletableFuture.completedFuture(null);
      }
    });
  }

  @Override
  public CompletionStage<List<Message>> readLog(String conversationId, long afterSeq, int limit) {
    List<Message> out = new ArrayList<>(messages(conversationId).tailMap(afterSeq, false).values());
    return CompletableFuture.completedFuture(out.subList(0, Math.min(limit, out.size())));
  }

  @Override
  public CompletionStage<Long> projectedSeq(String conversationId) {
    return CompletableFuture.completedFuture(projected.getOrDefault(conversationId, 0L));
  }

  @Override
  public CompletionStage<Void> project(Set<String> members, List<Message> messages) {
    return projectionGate.thenCompose(open -> {
      String conversationId = messages.get(0).getConversationId();
      if (brokenProjections.contains(conversationId)
          || failingProjections.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return CompletableFuture.failedFuture(new IllegalStateException("store unavailable"));
      }
      synchronized (this) {
        long checkpoint = projected.getOrDefault(conversationId, 0L);
        if (messages.get(0).getSeq() > checkpoint + 1) {
          skippedProjections.add(conversationId + " from " + checkpoint + " to " + messages.get(0).getSeq());
        }
        for (Message m : messages) {
          if (m.hasGroupChange()) {
            groups.computeIfAbsent(conversationId, id -> GroupState.empty())
                .apply(m.getGroupChange(), m.getSeq(), m.getServerTimeMs());
          }
          clientIds.put(key(conversationId, m.getSenderUserId(), m.getClientMessageId()), SendAck.newBuilder()
              .setClientMessageId(m.getClientMessageId()).setConversationId(conversationId).setSeq(m.getSeq())
              .setMessageId(m.getMessageId()).setServerTimeMs(m.getServerTimeMs()).build());
          for (String member : members) {
            copies.computeIfAbsent(member + "/" + conversationId, k -> new ConcurrentSkipListMap<>())
                .put(m.getSeq(), m);
          }
        }
        projected.merge(conversationId, messages.get(messages.size() - 1).getSeq(), Math::max);
      }
      return CompletableFuture.completedFuture(null);
    });
  }

  @Override
  public CompletionStage<Optional<SendAck>> findClientId(String conversationId, String sender, String clientId) {
    clientIdLookups.incrementAndGet();
    return clientIdGate.thenApply(
        open -> Optional.ofNullable(clientIds.get(key(conversationId, sender, clientId))));
  }

  @Override
  public CompletionStage<Void> markForProjection(int shard, long hour, String conversationId) {
    markWrites.incrementAndGet();
    marks.add(shard + "/" + hour + "/" + conversationId);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<List<String>> markedForProjection(int shard, long hour) {
    String prefix = shard + "/" + hour + "/";
    return CompletableFuture.completedFuture(
        marks.stream().filter(m -> m.startsWith(prefix)).map(m -> m.substring(prefix.length())).toList());
  }

  @Override
  public CompletionStage<Optional<Set<String>>> members(String conversationId) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  @Override
  public synchronized CompletionStage<Optional<dev.messenger.history.store.StoredGroup>> group(String conversationId) {
    GroupState state = groups.get(conversationId);
    if (state == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    var group = state.toProto(conversationId);
    return CompletableFuture.completedFuture(Optional.of(new dev.messenger.history.store.StoredGroup(
        conversationId, group.getTitle(), group.getCreatedMs(), group.getVersion(), group.getMembersList())));
  }

  @Override
  public CompletionStage<Void> ensureDirectConversation(String conversationId, String userA, String userB) {
    return CompletableFuture.completedFuture(null);
  }

  static String key(String conversationId, String sender, String clientId) {
    return conversationId + "/" + sender + "/" + clientId;
  }
}
