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

/** A unit-test CommitLog with the same conditional-commit semantics as the CQL one. */
final class InMemoryCommitLog implements CommitLog {
  final Map<String, NavigableMap<Long, Message>> logs = new ConcurrentHashMap<>();
  final Map<String, SendAck> clientIds = new ConcurrentHashMap<>();
  final Map<String, Map<Long, Message>> copies = new ConcurrentHashMap<>();
  final Set<String> inflight = ConcurrentHashMap.newKeySet();
  final java.util.concurrent.atomic.AtomicInteger marks = new java.util.concurrent.atomic.AtomicInteger();
  final java.util.concurrent.atomic.AtomicInteger headLoads = new java.util.concurrent.atomic.AtomicInteger();
  final Map<String, Long> fannedOut = new ConcurrentHashMap<>();

  private NavigableMap<Long, Message> log(String conversationId) {
    return logs.computeIfAbsent(conversationId, c -> new ConcurrentSkipListMap<>());
  }

  @Override
  public CompletionStage<Long> loadHead(String conversationId) {
    headLoads.incrementAndGet();
    NavigableMap<Long, Message> log = log(conversationId);
    return CompletableFuture.completedFuture(log.isEmpty() ? 0L : log.lastKey());
  }

  /** When set, the next commit is applied but answered with an error: its outcome looks unknown. */
  volatile boolean failNextCommitAfterApplying;
  /** Recording client ids waits for this, so that a test can look them up before they are recorded. */
  volatile CompletableFuture<Void> recordGate = CompletableFuture.completedFuture(null);

  @Override
  public synchronized CompletionStage<Boolean> commit(String conversationId, List<Message> messages) {
    NavigableMap<Long, Message> log = log(conversationId);
    for (Message m : messages) {
      if (log.containsKey(m.getSeq())) {
        return CompletableFuture.completedFuture(false);
      }
    }
    messages.forEach(m -> log.put(m.getSeq(), m));
    if (failNextCommitAfterApplying) {
      failNextCommitAfterApplying = false;
      return CompletableFuture.failedFuture(new IllegalStateException("write timed out"));
    }
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public CompletionStage<List<Message>> readLog(String conversationId, long afterSeq, int limit) {
    List<Message> out = new ArrayList<>(log(conversationId).tailMap(afterSeq, false).values());
    return CompletableFuture.completedFuture(out.subList(0, Math.min(limit, out.size())));
  }

  @Override
  public CompletionStage<Long> fannedOutSeq(String conversationId) {
    return CompletableFuture.completedFuture(fannedOut.getOrDefault(conversationId, 0L));
  }

  @Override
  public CompletionStage<Void> recordClientIds(String conversationId, List<Message> messages) {
    return recordGate.thenRun(() -> {
      for (Message m : messages) {
        clientIds.put(key(conversationId, m.getSenderUserId(), m.getClientMessageId()), SendAck.newBuilder()
            .setClientMessageId(m.getClientMessageId()).setConversationId(conversationId).setSeq(m.getSeq())
            .setMessageId(m.getMessageId()).setServerTimeMs(m.getServerTimeMs()).build());
      }
    });
  }

  /** Client id lookups wait for this, so that a test can see what happens meanwhile. */
  volatile CompletableFuture<Void> clientIdGate = CompletableFuture.completedFuture(null);

  @Override
  public CompletionStage<Optional<SendAck>> findClientId(String conversationId, String sender, String clientId) {
    return clientIdGate.thenApply(
        open -> Optional.ofNullable(clientIds.get(key(conversationId, sender, clientId))));
  }

  @Override
  public CompletionStage<Void> fanOut(Set<String> members, List<Message> messages) {
    for (String member : members) {
      for (Message m : messages) {
        copies.computeIfAbsent(member + "/" + m.getConversationId(), k -> new ConcurrentHashMap<>())
            .put(m.getSeq(), m);
      }
    }
    Message last = messages.get(messages.size() - 1);
    fannedOut.merge(last.getConversationId(), last.getSeq(), Math::max);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> markInflight(int shard, String conversationId, long fromSeq) {
    inflight.add(shard + "/" + conversationId);
    marks.incrementAndGet();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> clearInflight(int shard, String conversationId, long upToSeq) {
    inflight.remove(shard + "/" + conversationId);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<List<String>> listInflight(int shard) {
    List<String> out = new ArrayList<>();
    for (String entry : inflight) {
      if (entry.startsWith(shard + "/")) {
        out.add(entry.substring(entry.indexOf('/') + 1));
      }
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public CompletionStage<Optional<Set<String>>> members(String conversationId) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  @Override
  public CompletionStage<Void> ensureDirectConversation(String conversationId, String userA, String userB) {
    return CompletableFuture.completedFuture(null);
  }

  private static String key(String conversationId, String sender, String clientId) {
    return conversationId + "/" + sender + "/" + clientId;
  }
}
