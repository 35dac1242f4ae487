package dev.messenger.router;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessageKind;
import dev.messenger.api.v1.SendAck;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.internal.v1.SubmitRequest;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives messages their place in their conversation. Per conversation, one batch at a time: the pending
 * messages get the next sequence numbers and are committed together by one conditional write in the CQL
 * store, which is the fence: if another router committed any of those numbers first, nothing is written,
 * the head is reloaded and the batch is retried. After the commit, the idempotency records and every
 * member's copy are written, then the sender is acknowledged and the members' devices are told.
 */
final class Sequencer {
  static final int MAX_BATCH = 64;
  private static final int MAX_CONFLICTS = 8;
  private static final int RECENT_ACKS = 256;
  private static final Logger log = LoggerFactory.getLogger(Sequencer.class);

  private final CommitLog commitLog;
  private final DeliveryPublisher publisher;
  private final MessageIds ids;
  private final Clock clock;
  private final Executor executor;
  private final IntPredicate ownsShard;
  private final int shardCount;
  private final RouterMetrics metrics;
  private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();

  Sequencer(
      CommitLog commitLog,
      DeliveryPublisher publisher,
      MessageIds ids,
      Clock clock,
      Executor executor,
      IntPredicate ownsShard,
      int shardCount,
      RouterMetrics metrics) {
    this.commitLog = commitLog;
    this.publisher = publisher;
    this.ids = ids;
    this.clock = clock;
    this.executor = executor;
    this.ownsShard = ownsShard;
    this.shardCount = shardCount;
    this.metrics = metrics;
  }

  /** Orders, stores and delivers one message; completes with its SendAck (duplicate if already stored). */
  CompletableFuture<SendAck> submit(SubmitRequest request, Set<String> members, int shard) {
    Conversation conversation =
        conversations.computeIfAbsent(request.getConversationId(), id -> new Conversation(id, shard));
    String key = request.getSenderUserId() + '\u0000' + request.getClientMessageId();
    synchronized (conversation) {
      conversation.members = members;
      SendAck known = conversation.recentAcks.get(key);
      if (known != null) {
        return CompletableFuture.completedFuture(known.toBuilder().setDuplicate(true).build());
      }
      Pending pending = conversation.pendingByKey.get(key);
      if (pending != null) {
        return pending.result.thenApply(ack -> ack.toBuilder().setDuplicate(true).build());
      }
      prefetchHead(conversation);
    }
    return commitLog
        .findClientId(request.getConversationId(), request.getSenderUserId(), request.getClientMessageId())
        .thenComposeAsync(
            stored -> {
              if (stored.isPresent()) {
                return CompletableFuture.completedFuture(stored.get().toBuilder().setDuplicate(true).build());
              }
              return enqueue(conversation, key, request);
            },
            executor)
        .toCompletableFuture();
  }

  /**
   * For a conversation this router has not worked on yet, loads the head and marks the conversation in
   * flight while the client id is being looked up, instead of after. Called with c locked.
   */
  private void prefetchHead(Conversation c) {
    if (c.head >= 0 || c.running || c.prefetch != null || c.recheckQueued) {
      return;
    }
    c.prefetch = commitLog
        .loadHead(c.id)
        .thenCompose(head -> commitLog.markInflight(c.shard, c.id, head + 1).thenApply(marked -> head))
        .toCompletableFuture();
  }

  /** Forgets the cached state of a shard's conversations (another router may write them from now on). */
  void forgetShard(int shard) {
    conversations.values().removeIf(c -> {
      synchronized (c) {
        if (c.shard != shard) {
          return false;
        }
        for (Pending p : c.queue) {
          p.result.completeExceptionally(
              ApiErrors.unavailable("NOT_OWNER", "this router no longer owns the conversation; retry"));
        }
        c.queue.clear();
        c.pendingByKey.clear();
        c.head = -1;
        c.recheckQueued = true;
        return !c.running;
      }
    });
  }

  /**
   * Forgets conversations without work for {@code idle}, so memory follows the active conversations, not
   * every conversation ever seen, and clears their in-flight marks (a busy conversation keeps its mark
   * between sends, which saves a write before and after every commit). A retry after that is answered from
   * the stored client ids; a clear that fails leaves a mark the next owner repairs, which is harmless.
   */
  int evictIdle(java.time.Duration idle) {
    long cutoff = System.nanoTime() - idle.toNanos();
    int before = conversations.size();
    conversations.values().removeIf(c -> {
      synchronized (c) {
        boolean evict = !c.running && c.queue.isEmpty() && c.lastActivityNanos < cutoff;
        if (evict) {
          clearMark(c);
        }
        return evict;
      }
    });
    return before - conversations.size();
  }

  /**
   * Clears the in-flight marks of the shard's idle conversations, before the shard is handed over, so that
   * the next owner has nothing to repair. Completes when every clear has been answered.
   */
  CompletableFuture<Void> clearMarks(int shard) {
    List<CompletableFuture<Void>> clears = new ArrayList<>();
    for (Conversation c : conversations.values()) {
      synchronized (c) {
        if (c.shard == shard && !c.running && c.queue.isEmpty()) {
          clears.add(clearMark(c));
        }
      }
    }
    return CompletableFuture.allOf(clears.toArray(CompletableFuture[]::new));
  }

  /** Called with c locked and idle. */
  private CompletableFuture<Void> clearMark(Conversation c) {
    if (!c.inflightMarked || c.head < 1) {
      // Unmarked, or the head is unknown after a failure: a mark stays for the next owner's repair.
      return CompletableFuture.completedFuture(null);
    }
    c.inflightMarked = false;
    return commitLog
        .clearInflight(c.shard, c.id, c.head)
        .toCompletableFuture()
        .exceptionally(error -> {
          log.debug("clearing the in-flight mark of {} failed; its next owner repairs it: {}", c.id, error.toString());
          return null;
        });
  }

  /** True when no conversation of the shard has work pending or in progress. */
  boolean idle(int shard) {
    return conversations.values().stream()
        .filter(c -> c.shard == shard)
        .allMatch(c -> {
          synchronized (c) {
            return !c.running && c.queue.isEmpty();
          }
        });
  }

  private CompletableFuture<SendAck> enqueue(Conversation c, String key, SubmitRequest request) {
    synchronized (c) {
      SendAck known = c.recentAcks.get(key);
      if (known != null) {
        return CompletableFuture.completedFuture(known.toBuilder().setDuplicate(true).build());
      }
      Pending existing = c.pendingByKey.get(key);
      if (existing != null) {
        return existing.result.thenApply(ack -> ack.toBuilder().setDuplicate(true).build());
      }
      Pending pending = new Pending(key, request);
      c.lastActivityNanos = System.nanoTime();
      c.pendingByKey.put(key, pending);
      c.queue.add(pending);
      if (!c.running) {
        c.running = true;
        executor.execute(() -> drive(c));
      }
      return pending.result;
    }
  }

  private void drive(Conversation c) {
    if (!ownsShard.test(c.shard)) {
      failAll(c, ApiErrors.unavailable("NOT_OWNER", "this router no longer owns the conversation; retry"));
      return;
    }
    long head;
    synchronized (c) {
      if (c.queue.isEmpty()) {
        finishIdle(c);
        return;
      }
      head = c.head;
    }
    if (head < 0) {
      // The head is unknown: first use, or after a conflict or a commit whose outcome is unknown. After a
      // failure, queued sends were checked against the stored client ids before that outcome: check again.
      boolean recheck;
      CompletableFuture<Long> prefetched;
      synchronized (c) {
        recheck = c.recheckQueued;
        c.recheckQueued = false;
        prefetched = c.prefetch;
        c.prefetch = null;
      }
      if (prefetched != null && !recheck) {
        prefetched.whenCompleteAsync(
            (loaded, error) -> {
              if (error == null) {
                synchronized (c) {
                  c.head = loaded;
                  c.inflightMarked = true;
                }
              }
              drive(c); // after an error, the head is loaded again the usual way
            },
            executor);
        return;
      }
      commitLog
          .loadHead(c.id)
          .thenCompose(loaded -> recheck
              ? dropStoredPendings(c).thenApply(ignored -> loaded)
              : CompletableFuture.completedFuture(loaded))
          .whenCompleteAsync(
              (loaded, error) -> {
                if (error != null) {
                  failAll(c, unavailable(error));
                  return;
                }
                synchronized (c) {
                  c.head = loaded;
                }
                drive(c);
              },
              executor);
      return;
    }
    List<Pending> batch = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    synchronized (c) {
      long now = clock.millis();
      while (!c.queue.isEmpty() && batch.size() < MAX_BATCH) {
        Pending p = c.queue.poll();
        batch.add(p);
        messages.add(toMessage(p.request, head + batch.size(), now));
      }
    }
    CompletionStage<Void> marked =
        c.inflightMarked ? CompletableFuture.completedFuture(null) : commitLog.markInflight(c.shard, c.id, head + 1);
    marked
        .thenCompose(ignored -> {
          c.inflightMarked = true;
          return commitLog.commit(c.id, messages);
        })
        .whenCompleteAsync(
            (committed, error) -> {
              if (error != null) {
                onCommitError(c, batch, error);
              } else if (!committed) {
                onConflict(c, batch);
              } else {
                onCommitted(c, batch, messages);
              }
            },
            executor);
  }

  /** Completes, as duplicates, the queued sends whose client ids are stored by now. */
  private CompletableFuture<Void> dropStoredPendings(Conversation c) {
    List<Pending> queued;
    synchronized (c) {
      queued = new ArrayList<>(c.queue);
    }
    List<CompletableFuture<Void>> checks = new ArrayList<>();
    for (Pending p : queued) {
      checks.add(commitLog
          .findClientId(c.id, p.request.getSenderUserId(), p.request.getClientMessageId())
          .thenAccept(stored -> stored.ifPresent(ack -> {
            synchronized (c) {
              c.queue.remove(p);
              c.pendingByKey.remove(p.key);
            }
            p.result.complete(ack.toBuilder().setDuplicate(true).build());
          }))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new));
  }

  private void onCommitted(Conversation c, List<Pending> batch, List<Message> messages) {
    synchronized (c) {
      c.head = messages.get(messages.size() - 1).getSeq();
      c.conflicts = 0;
    }
    metrics.committed(messages.size());
    writeCopiesThenAcknowledge(c, batch, messages, true);
  }

  /**
   * Writes the idempotency records and every member's copy, then acknowledges and publishes. The messages
   * are committed already: a failed write is tried once more, and after that the in-flight mark stays so
   * that whoever owns the shard next repairs it.
   */
  private void writeCopiesThenAcknowledge(Conversation c, List<Pending> batch, List<Message> messages,
      boolean mayRetry) {
    Set<String> members = c.members;
    CompletableFuture.allOf(
            commitLog.recordClientIds(c.id, messages).toCompletableFuture(),
            commitLog.fanOut(members, messages).toCompletableFuture())
        .whenCompleteAsync(
            (ignored, error) -> {
              if (error == null) {
                acknowledge(c, batch, messages);
                publisher.publish(members, messages);
                drive(c);
              } else if (mayRetry) {
                log.warn("fan-out of {} failed, retrying: {}", c.id, error.toString());
                writeCopiesThenAcknowledge(c, batch, messages, false);
              } else {
                failBatch(c, batch, unavailable(error));
                failAll(c, unavailable(error));
              }
            },
            executor);
  }

  private void acknowledge(Conversation c, List<Pending> batch, List<Message> messages) {
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      Message m = messages.get(i);
      SendAck ack =
          SendAck.newBuilder()
              .setClientMessageId(m.getClientMessageId())
              .setConversationId(m.getConversationId())
              .setSeq(m.getSeq())
              .setMessageId(m.getMessageId())
              .setServerTimeMs(m.getServerTimeMs())
              .build();
      synchronized (c) {
        c.pendingByKey.remove(p.key);
        c.recentAcks.put(p.key, ack);
      }
      p.result.complete(ack);
    }
  }

  private void onConflict(Conversation c, List<Pending> batch) {
    metrics.conflict();
    boolean giveUp;
    synchronized (c) {
      c.head = -1;
      c.recheckQueued = true;
      c.conflicts++;
      giveUp = c.conflicts > MAX_CONFLICTS;
    }
    if (giveUp) {
      failBatch(c, batch, ApiErrors.unavailable("SEQUENCE_CONTENDED", "conversation is being moved; retry"));
      failAll(c, ApiErrors.unavailable("SEQUENCE_CONTENDED", "conversation is being moved; retry"));
      return;
    }
    // Someone else committed these numbers, or part of this batch was committed before a later part
    // failed. Repair first (it records the client ids of everything committed), then whatever of ours is
    // found stored is done, and the rest goes back to the front of the queue.
    List<CompletableFuture<Void>> checks = new ArrayList<>();
    List<Pending> retry = new ArrayList<>();
    CompletableFuture<Void> repaired = repair(c.id, c.members).toCompletableFuture();
    for (Pending p : batch) {
      checks.add(
          repaired.thenCompose(ignored -> commitLog
              .findClientId(c.id, p.request.getSenderUserId(), p.request.getClientMessageId()))
              .thenAccept(stored -> {
                if (stored.isPresent()) {
                  synchronized (c) {
                    c.pendingByKey.remove(p.key);
                  }
                  p.result.complete(stored.get().toBuilder().setDuplicate(true).build());
                } else {
                  synchronized (retry) {
                    retry.add(p);
                  }
                }
              }));
    }
    CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
        .whenCompleteAsync(
            (ignored, error) -> {
              if (error != null) {
                failBatch(c, batch, unavailable(error));
                drive(c);
                return;
              }
              synchronized (c) {
                for (int i = batch.size() - 1; i >= 0; i--) {
                  if (retry.contains(batch.get(i))) {
                    c.queue.addFirst(batch.get(i));
                  }
                }
              }
              drive(c);
            },
            executor);
  }

  private void onCommitError(Conversation c, List<Pending> batch, Throwable error) {
    // The outcome is unknown: the batch may be committed. Its inflight mark stays, the head is reloaded,
    // and the senders retry with the same client ids, which find the stored messages if they were.
    log.warn("commit in {} failed: {}", c.id, error.toString());
    synchronized (c) {
      c.head = -1;
      c.recheckQueued = true;
    }
    failBatch(c, batch, unavailable(error));
    repairFromLog(c).whenCompleteAsync((ignored, e) -> drive(c), executor);
  }

  /** Writes copies and idempotency records of everything committed after the last fanned-out message. */
  CompletionStage<Void> repairFromLog(Conversation c) {
    return repair(c.id, c.members);
  }

  /** Repairs one conversation left in flight by a router that died or failed mid-way. */
  CompletionStage<Void> repair(String conversationId, Set<String> members) {
    return commitLog
        .fannedOutSeq(conversationId)
        .thenCompose(from -> commitLog.readLog(conversationId, from, Integer.MAX_VALUE))
        .thenCompose(
            messages -> {
              if (messages.isEmpty()) {
                return CompletableFuture.completedFuture(null);
              }
              metrics.repaired(messages.size());
              return CompletableFuture.allOf(
                      commitLog.recordClientIds(conversationId, messages).toCompletableFuture(),
                      commitLog.fanOut(members, messages).toCompletableFuture())
                  .thenRun(() -> publisher.publish(members, messages));
            });
  }

  private void finishIdle(Conversation c) {
    // Called with c locked and the queue empty. The in-flight mark stays until the conversation is evicted.
    c.running = false;
  }

  private void failBatch(Conversation c, List<Pending> batch, RuntimeException error) {
    synchronized (c) {
      for (Pending p : batch) {
        c.pendingByKey.remove(p.key);
      }
    }
    for (Pending p : batch) {
      p.result.completeExceptionally(error);
    }
  }

  private void failAll(Conversation c, RuntimeException error) {
    List<Pending> failed;
    synchronized (c) {
      failed = new ArrayList<>(c.queue);
      c.queue.clear();
      c.pendingByKey.clear();
      c.running = false;
      c.head = -1;
      c.recheckQueued = true;
    }
    for (Pending p : failed) {
      p.result.completeExceptionally(error);
    }
  }

  private Message toMessage(SubmitRequest request, long seq, long now) {
    return Message.newBuilder()
        .setConversationId(request.getConversationId())
        .setSeq(seq)
        .setMessageId(ids.next())
        .setSenderUserId(request.getSenderUserId())
        .setSenderDeviceId(request.getSenderDeviceId())
        .setClientMessageId(request.getClientMessageId())
        .setBody(request.getBody())
        .setServerTimeMs(now)
        .setKind(MessageKind.MESSAGE_KIND_TEXT)
        .build();
  }

  private static RuntimeException unavailable(Throwable error) {
    return ApiErrors.unavailable("STORE_UNAVAILABLE", "the message store did not answer; retry");
  }

  int shardCount() {
    return shardCount;
  }

  /** Per-conversation state; every field is guarded by the object's monitor. */
  static final class Conversation {
    final String id;
    final int shard;
    final Deque<Pending> queue = new ArrayDeque<>();
    final Map<String, Pending> pendingByKey = new HashMap<>();
    final Map<String, SendAck> recentAcks =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, SendAck> eldest) {
            return size() > RECENT_ACKS;
          }
        };
    Set<String> members = Set.of();
    long head = -1;
    boolean running;
    boolean inflightMarked;
    boolean recheckQueued;
    CompletableFuture<Long> prefetch;
    int conflicts;
    long lastActivityNanos = System.nanoTime();

    Conversation(String id, int shard) {
      this.id = id;
      this.shard = shard;
    }
  }

  private static final class Pending {
    final String key;
    final SubmitRequest request;
    final CompletableFuture<SendAck> result = new CompletableFuture<>();

    Pending(String key, SubmitRequest request) {
      this.key = key;
      this.request = request;
    }
  }
}
