package dev.messenger.router;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessageKind;
import dev.messenger.api.v1.SendAck;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.internal.v1.SubmitRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives messages their place in their conversation and commits them. Per conversation, one batch at a time:
 * the pending messages get the next sequence numbers and are written to the conversation's log with the
 * shard's epoch; once {@link ShardFence} confirms the epoch, the batch is committed: the senders are
 * acknowledged, the members' devices are told, and the {@link Projector} applies it to per-user history
 * later. Nothing but the log write and the epoch read is on the acknowledgement path.
 *
 * <p>Retries: every committed client id is either still in this conversation's memory (everything not yet
 * projected, and the most recent ones) or in the client-id table (written by the projection before its
 * checkpoint). When a conversation is loaded, the log past the checkpoint is read back for that reason.
 */
final class Sequencer {
  static final int MAX_BATCH = 64;
  static final int MAX_BATCH_BYTES = 1 << 20;
  private static final int RECENT_ACKS = 256;
  private static final int RECENT_REFUSALS = 256;
  private static final int LOAD_PAGE = 1024;
  /**
   * How long a send waits for the earlier send it names to arrive before the log is asked about it: two of
   * a session server's attempts (5 s each), so that when a router is paused with some of a device's sends
   * in hand, the later ones wait for those to be retried here instead of being refused one round at a time.
   */
  static final Duration WAIT_FOR_EARLIER = Duration.ofSeconds(10);
  /**
   * How far a session server's clock may run ahead of this router's: a first attempt is trusted without a
   * lookup only if published this long after the router took the shard (promise 4 assumes clocks within it).
   */
  static final Duration CLOCK_ALLOWANCE = Duration.ofSeconds(2);
  private static final Duration FIRST_RETRY = Duration.ofMillis(20);
  private static final Duration MAX_RETRY = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(Sequencer.class);

  private final CommitLog commitLog;
  private final DeliveryPublisher publisher;
  private final MessageIds ids;
  private final Clock clock;
  private final Executor executor;
  private final IntPredicate ownsShard;
  private final ShardFence fence;
  private final ProjectionMarks marks;
  private final Projector projector;
  private final RouterMetrics metrics;
  private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();

  Sequencer(CommitLog commitLog, DeliveryPublisher publisher, MessageIds ids, Clock clock, Executor executor,
      IntPredicate ownsShard, ShardFence fence, ProjectionMarks marks, Projector projector, RouterMetrics metrics) {
    this.commitLog = commitLog;
    this.publisher = publisher;
    this.ids = ids;
    this.clock = clock;
    this.executor = executor;
    this.ownsShard = ownsShard;
    this.fence = fence;
    this.marks = marks;
    this.projector = projector;
    this.metrics = metrics;
  }

  /**
   * Orders and commits one message; completes with its SendAck (duplicate if already committed). A message
   * naming an earlier one of its device ({@code after_client_message_id}) is queued only behind it: once
   * that one is queued or stored (waiting up to {@link #WAIT_FOR_EARLIER} for it to arrive); if it is
   * neither, the message is refused (its device resends both in order), so a refusal or a failover never
   * lets a device's messages overtake each other.
   */
  CompletableFuture<SendAck> submit(SubmitRequest request, Set<String> members, int shard) {
    Conversation conversation = conversation(request.getConversationId(), shard);
    String key = key(request.getSenderUserId(), request.getClientMessageId());
    CompletableFuture<Boolean> earlierPlaced;
    CompletableFuture<Boolean> placed = new CompletableFuture<>();
    List<CompletableFuture<CompletableFuture<Boolean>>> waitingForThis;
    synchronized (conversation) {
      if (!conversation.isGroup) {
        conversation.members = members;
      }
      CompletableFuture<SendAck> known = conversation.known(key);
      if (known != null) {
        return known;
      }
      CompletableFuture<Boolean> arriving = conversation.arriving.get(key);
      if (arriving != null) {
        return arriving.thenCompose(ok -> submit(request, members, shard));
      }
      earlierPlaced = earlierPlaced(conversation, request);
      conversation.arriving.put(key, placed);
      waitingForThis = conversation.awaitedArrivals.remove(key);
    }
    if (waitingForThis != null) {
      waitingForThis.forEach(waiter -> waiter.complete(placed));
    }
    CompletableFuture<SendAck> result = storedAlready(request, shard)
        .thenCombine(earlierPlaced, Intake::new)
        .thenComposeAsync(intake -> {
          if (intake.stored().isPresent()) {
            settle(conversation, key, placed, true);
            return CompletableFuture.completedFuture(intake.stored().get().toBuilder().setDuplicate(true).build());
          }
          if (!intake.earlierOk()) {
            throw ApiErrors.earlierSendNotStored(request.getAfterClientMessageId());
          }
          CompletableFuture<SendAck> queued = enqueue(conversation, key, request);
          settle(conversation, key, placed, true);
          return queued;
        }, executor);
    result.whenComplete((ack, error) -> settle(conversation, key, placed, error == null));
    return result;
  }

  /**
   * The stored send of the request's client id, if any. Not asked for a first attempt published while this
   * router held the shard: its device and session server vouch that it was never submitted before, any retry
   * of it would have come here too, and what this router holds was checked already. A first attempt
   * published before the shard was taken is looked up: it may be a late copy (held in this router's socket
   * while it was paused and lost the shard, or also delivered to the owner of a hand-over) whose retry
   * another owner stored meanwhile.
   */
  private CompletableFuture<Optional<SendAck>> storedAlready(SubmitRequest request, int shard) {
    if (request.getFirstAttempt() && publishedWhileHeld(request, shard)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return commitLog
        .findClientId(request.getConversationId(), request.getSenderUserId(), request.getClientMessageId())
        .toCompletableFuture();
  }

  /**
   * Whether the session server published the request after this router took the shard, with
   * {@link #CLOCK_ALLOWANCE} for the two machines' clocks (a later claim of the shard moves the bound).
   */
  private boolean publishedWhileHeld(SubmitRequest request, int shard) {
    OptionalLong since = fence.heldSinceMillis(shard);
    return since.isPresent()
        && request.getFirstAttemptSentAtMs() > since.getAsLong() + CLOCK_ALLOWANCE.toMillis();
  }

  /**
   * Notes a send this router did not take (refused at admission, or failed before its commit), so that a
   * later send of its device that names it is refused at once instead of overtaking it.
   */
  void refused(SubmitRequest request, int shard) {
    Conversation c = conversation(request.getConversationId(), shard);
    String key = key(request.getSenderUserId(), request.getClientMessageId());
    List<CompletableFuture<CompletableFuture<Boolean>>> waiting;
    synchronized (c) {
      c.refuse(key);
      waiting = c.awaitedArrivals.remove(key);
    }
    if (waiting != null) {
      // Sends that arrived first and wait for this one need not wait any longer: it did arrive, and was not
      // taken. They go by what the log says of it, now rather than after WAIT_FOR_EARLIER; otherwise, after
      // a stall, the later sends of a backlog hold every admission permit for that long while their earlier
      // ones are refused for want of one.
      waiting.forEach(arrival -> arrival.complete(null));
    }
  }

  /** The send is queued, stored or refused: a later send of its device may be placed behind it (or not). */
  private static void settle(Conversation c, String key, CompletableFuture<Boolean> placed, boolean ok) {
    synchronized (c) {
      c.arriving.remove(key, placed);
      if (ok) {
        c.refused.remove(key);
      } else {
        c.refuse(key);
      }
    }
    placed.complete(ok);
  }

  /** Called with c locked: completes with whether the earlier send the request names is queued or stored. */
  private CompletableFuture<Boolean> earlierPlaced(Conversation c, SubmitRequest request) {
    String after = request.getAfterClientMessageId();
    if (after.isEmpty()) {
      return CompletableFuture.completedFuture(true);
    }
    String afterKey = key(request.getSenderUserId(), after);
    if (c.holds(afterKey)) {
      return CompletableFuture.completedFuture(true);
    }
    CompletableFuture<Boolean> arriving = c.arriving.get(afterKey);
    if (arriving != null) {
      return arriving;
    }
    if (c.refused.containsKey(afterKey)) {
      return CompletableFuture.completedFuture(false);
    }
    // Not seen here yet: after a failover the session servers' retries arrive in any order, so wait a while
    // for the earlier send to arrive, unless the log says it was stored already.
    CompletableFuture<CompletableFuture<Boolean>> arrival = new CompletableFuture<>();
    c.awaitedArrivals.computeIfAbsent(afterKey, k -> new ArrayList<>()).add(arrival);
    CompletableFuture.delayedExecutor(WAIT_FOR_EARLIER.toMillis(), TimeUnit.MILLISECONDS, executor).execute(() -> {
      synchronized (c) {
        List<CompletableFuture<CompletableFuture<Boolean>>> waiting = c.awaitedArrivals.get(afterKey);
        if (waiting != null && waiting.remove(arrival) && waiting.isEmpty()) {
          c.awaitedArrivals.remove(afterKey);
        }
      }
      arrival.complete(null);
    });
    // Asked at once: an earlier send stored long ago (its ack lost, this conversation since evicted here)
    // must not wait for an arrival that will not come.
    CompletableFuture<Boolean> stored = commitLog.findClientId(c.id, request.getSenderUserId(), after)
        .thenApply(Optional::isPresent)
        .toCompletableFuture();
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    stored.whenComplete((found, error) -> {
      if (Boolean.TRUE.equals(found)) {
        result.complete(true);
      }
    });
    arrival.whenComplete((placed, ignored) -> {
      if (placed != null) {
        placed.whenComplete((ok, error) -> result.complete(Boolean.TRUE.equals(ok)));
        return;
      }
      synchronized (c) {
        if (c.holds(afterKey)) {
          result.complete(true); // a retry of it was answered from memory meanwhile
          return;
        }
      }
      stored.whenComplete((found, error) -> {
        if (error != null) {
          result.completeExceptionally(error);
        } else {
          result.complete(found);
        }
      });
    });
    return result;
  }

  private record Intake(Optional<SendAck> stored, boolean earlierOk) {}

  /**
   * Loads a conversation a previous owner may have left unprojected (its projection mark was found), so
   * that its tail is projected even if nobody writes to it again.
   */
  void recover(int shard, String conversationId, Set<String> members) {
    Conversation c = conversation(conversationId, shard);
    synchronized (c) {
      if (c.members.isEmpty()) {
        c.members = members;
      }
      if (c.running || c.headKnownAt(fence.epoch(shard).orElse(-1))) {
        return;
      }
      c.running = true;
    }
    executor.execute(() -> drive(c));
  }

  /**
   * The group as of its latest committed change: from memory when the conversation is loaded here, else as
   * projected. Empty when it was never created.
   */
  CompletableFuture<java.util.Optional<dev.messenger.api.v1.Group>> group(String conversationId) {
    Conversation c = conversations.get(conversationId);
    if (c != null) {
      synchronized (c) {
        if (c.head >= 0 && c.group != null) {
          return CompletableFuture.completedFuture(c.group.exists()
              ? java.util.Optional.of(c.group.toProto(conversationId)) : java.util.Optional.empty());
        }
      }
    }
    return commitLog.group(conversationId).toCompletableFuture()
        .thenApply(stored -> stored.map(dev.messenger.history.store.StoredGroup::toProto));
  }

  /** Called by the projector: acks at or below the checkpoint may now be forgotten. */
  void projected(String conversationId, long upToSeq) {
    Conversation c = conversations.get(conversationId);
    if (c != null) {
      synchronized (c) {
        c.projected = Math.max(c.projected, upToSeq);
        c.trimAcks();
      }
    }
  }

  /** Forgets a shard's conversations (another router may write them from now on). */
  void forgetShard(int shard) {
    List<Pending> refused = new ArrayList<>();
    RuntimeException notOwner = notOwner();
    conversations.values().removeIf(c -> {
      synchronized (c) {
        if (c.shard != shard) {
          return false;
        }
        refused.addAll(failQueued(c, notOwner));
        c.head = -1;
        return !c.running;
      }
    });
    // Answered, or their senders would wait for a reply that never comes and each would hold an admission
    // permit for good (a router that gave up its shards after a pause then refused every send as OVERLOADED).
    refused.forEach(p -> p.result.completeExceptionally(notOwner));
    projector.forgetShard(shard);
  }

  /**
   * Forgets conversations without work for {@code idle} whose projection is done, so memory follows the
   * active conversations. A retry after that is answered from the client-id table.
   */
  int evictIdle(Duration idle) {
    long cutoff = System.nanoTime() - idle.toNanos();
    int before = conversations.size();
    conversations.values().removeIf(c -> {
      synchronized (c) {
        boolean evict = !c.running && c.queue.isEmpty() && c.lastActivityNanos < cutoff
            && projector.settled(c.id);
        if (evict) {
          projector.forget(c.id);
          marks.forget(c.id);
        }
        return evict;
      }
    });
    return before - conversations.size();
  }

  /**
   * True when the conversation has a batch in progress and room in its next one: a send to it adds a message
   * to a log write that happens anyway, instead of a write of its own.
   */
  boolean batchInProgress(String conversationId) {
    Conversation c = conversations.get(conversationId);
    if (c == null) {
      return false;
    }
    synchronized (c) {
      return c.running && c.queue.size() < MAX_BATCH;
    }
  }

  /** Sends queued for a batch, over every conversation held here. */
  int queuedSends() {
    int queued = 0;
    for (Conversation c : conversations.values()) {
      synchronized (c) {
        queued += c.queue.size();
      }
    }
    return queued;
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

  private Conversation conversation(String id, int shard) {
    return conversations.computeIfAbsent(id, key -> new Conversation(key, shard));
  }

  private CompletableFuture<SendAck> enqueue(Conversation c, String key, SubmitRequest request) {
    if (conversations.get(c.id) != c) {
      // The shard was given up while this send was being taken in, and its conversations forgotten: a send
      // queued here would be sequenced beside the conversation's new state, both from the same head.
      return CompletableFuture.failedFuture(notOwner());
    }
    synchronized (c) {
      CompletableFuture<SendAck> known = c.known(key);
      if (known != null) {
        return known;
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
    OptionalLong epoch = fence.epoch(c.shard);
    if (!ownsShard.test(c.shard) || epoch.isEmpty()) {
      failAll(c, notOwner());
      return;
    }
    long head;
    synchronized (c) {
      if (!c.headKnownAt(epoch.getAsLong())) {
        c.head = -1; // unknown, or known under another holding of the shard: another owner may have written since
      }
      head = c.head;
      if (head >= 0 && c.queue.isEmpty()) {
        c.running = false;
        return;
      }
    }
    if (head < 0) {
      load(c, epoch.getAsLong());
      return;
    }
    if (c.isGroup) {
      driveGroup(c, head, epoch.getAsLong());
      return;
    }
    List<Pending> batch = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    synchronized (c) {
      long now = clock.millis();
      int bytes = 0;
      while (!c.queue.isEmpty() && batch.size() < MAX_BATCH
          && (batch.isEmpty() || bytes + c.queue.peek().request.getBody().length() <= MAX_BATCH_BYTES)) {
        Pending p = c.queue.poll();
        bytes += p.request.getBody().length();
        batch.add(p);
        messages.add(toMessage(p.request, head + batch.size(), now));
      }
    }
    write(c, batch, messages, epoch.getAsLong(), 0);
  }

  /**
   * A group's batch: each pending send or change is decided against the group as it stands at its place in
   * the batch, so a send after a removal in the queue is refused (NOT_A_MEMBER) and one before it is
   * delivered to the removed member. Refused and no-op requests are answered at once and take no seq.
   */
  private void driveGroup(Conversation c, long head, long epoch) {
    List<Pending> batch = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    List<Set<String>> recipients = new ArrayList<>();
    List<Map.Entry<Pending, RuntimeException>> refused = new ArrayList<>();
    List<Map.Entry<Pending, SendAck>> unchanged = new ArrayList<>();
    GroupState state;
    Set<String> before;
    synchronized (c) {
      long now = clock.millis();
      state = c.group.copy();
      before = state.memberIds();
      Set<String> current = before;
      int bytes = 0;
      while (!c.queue.isEmpty() && batch.size() < MAX_BATCH
          && (batch.isEmpty() || bytes + c.queue.peek().request.getBody().length() <= MAX_BATCH_BYTES)) {
        Pending p = c.queue.poll();
        long seq = head + batch.size() + 1;
        SubmitRequest request = p.request;
        if (request.hasGroupCommand()) {
          java.util.Optional<dev.messenger.api.v1.GroupChange> change;
          try {
            change = state.decide(request.getSenderUserId(), request.getGroupCommand());
          } catch (RuntimeException refusal) {
            c.pendingByKey.remove(p.key);
            refused.add(Map.entry(p, refusal));
            continue;
          }
          if (change.isEmpty()) {
            c.pendingByKey.remove(p.key);
            unchanged.add(Map.entry(p, SendAck.newBuilder().setConversationId(c.id)
                .setClientMessageId(request.getClientMessageId()).setSeq(state.version()).build()));
            continue;
          }
          state.apply(change.get(), seq, now);
          current = state.memberIds();
          Message entry = toMessage(request, seq, now).toBuilder()
              .setKind(MessageKind.MESSAGE_KIND_SYSTEM)
              .setBody(GroupState.summary(request.getSenderUserId(), change.get()))
              .setGroupChange(change.get())
              .build();
          bytes += entry.getBody().length();
          batch.add(p);
          messages.add(entry);
          recipients.add(GroupState.recipients(current, change.get()));
        } else if (!state.isMember(request.getSenderUserId())) {
          c.pendingByKey.remove(p.key);
          refused.add(Map.entry(p, GroupState.notAMember()));
        } else {
          bytes += request.getBody().length();
          batch.add(p);
          messages.add(toMessage(request, seq, now));
          recipients.add(current);
        }
      }
      if (!batch.isEmpty()) {
        c.inFlight = new GroupBatch(before, state, List.copyOf(recipients));
      }
    }
    refused.forEach(e -> e.getKey().result.completeExceptionally(e.getValue()));
    unchanged.forEach(e -> e.getKey().result.complete(e.getValue()));
    if (batch.isEmpty()) {
      executor.execute(() -> drive(c));
      return;
    }
    write(c, batch, messages, epoch, 0);
  }

  /** What a group batch in flight does: the members before it, the group after it, each entry's recipients. */
  private record GroupBatch(Set<String> before, GroupState after, List<Set<String>> recipients) {}

  /**
   * Loads the head of the log and reads back what is past the projection checkpoint: its client ids answer
   * retries, and the projector is told to reach the head. Queued sends found there are duplicates.
   */
  private void load(Conversation c, long epoch) {
    CompletableFuture<java.util.Optional<dev.messenger.history.store.StoredGroup>> storedGroup = c.isGroup
        ? commitLog.group(c.id).toCompletableFuture()
        : CompletableFuture.completedFuture(Optional.empty());
    commitLog.headAndCheckpoint(c.id)
        .thenCompose(state -> readTail(c.id, state[1], state[0], new ArrayList<>())
            .thenApply(tail -> new Loaded(state[1], state[0], tail)))
        .thenCombine(storedGroup, (loaded, group) -> {
          if (c.isGroup) {
            GroupState atCheckpoint = group.map(GroupState::of).orElseGet(GroupState::empty);
            GroupState atHead = atCheckpoint.copy();
            for (Message m : loaded.tail()) {
              if (m.hasGroupChange()) {
                atHead.apply(m.getGroupChange(), m.getSeq(), m.getServerTimeMs());
              }
            }
            synchronized (c) {
              c.group = atHead;
              c.members = atCheckpoint.memberIds();
            }
          }
          return loaded;
        })
        // What was read counts only if the epoch was still ours after the reads (as for a commit): a router
        // fenced out meanwhile must not answer a resend from a row it wrote but never committed.
        .thenCompose(loaded -> fence.confirm(c.shard, epoch).thenApply(ours -> ours ? loaded : null))
        .whenCompleteAsync((loaded, error) -> {
          OptionalLong held = fence.epoch(c.shard);
          if (error == null && (loaded == null || held.isEmpty() || held.getAsLong() != epoch)) {
            // The shard changed hands while this loaded (e.g. lost and taken back): the head it read may
            // predate another owner's commits, so it must not be used with the new epoch.
            failAll(c, notOwner());
            return;
          }
          if (error != null) {
            log.atWarn().addKeyValue("conversation_id", c.id).log("loading {} failed: {}", c.id, error.toString());
            failAll(c, storeUnavailable());
            // Its tail may be unprojected (a recovery after a takeover): try again while the shard is ours.
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, executor).execute(() -> {
              if (ownsShard.test(c.shard) && fence.epoch(c.shard).isPresent()) {
                recover(c.shard, c.id, c.members);
              }
            });
            return;
          }
          long head = loaded.head();
          List<Pending> duplicates = new ArrayList<>();
          Set<String> members;
          synchronized (c) {
            c.projected = Math.max(c.projected, loaded.checkpoint());
            for (Message m : loaded.tail()) {
              c.remember(key(m.getSenderUserId(), m.getClientMessageId()), ack(m));
            }
            for (Iterator<Pending> it = c.queue.iterator(); it.hasNext(); ) {
              Pending p = it.next();
              if (c.acks.containsKey(p.key)) {
                it.remove();
                c.pendingByKey.remove(p.key);
                duplicates.add(p);
              }
            }
            c.head = head;
            c.headEpoch = epoch;
            c.unsealedHead = head;
            members = c.members;
          }
          for (Pending p : duplicates) {
            SendAck stored;
            synchronized (c) {
              stored = c.acks.get(p.key);
            }
            p.result.complete(stored.toBuilder().setDuplicate(true).build());
          }
          projector.reach(c.shard, c.id, members, head, loaded.checkpoint());
          drive(c);
        }, executor);
  }

  private record Loaded(long checkpoint, long head, List<Message> tail) {}

  private CompletableFuture<List<Message>> readTail(String id, long after, long head, List<Message> into) {
    if (after >= head) {
      return CompletableFuture.completedFuture(into);
    }
    return commitLog.readLog(id, after, (int) Math.min(LOAD_PAGE, head - after))
        .toCompletableFuture()
        .thenCompose(page -> {
          if (page.isEmpty()) {
            return CompletableFuture.completedFuture(into);
          }
          into.addAll(page);
          return readTail(id, page.get(page.size() - 1).getSeq(), head, into);
        });
  }

  /**
   * Writes the batch, then confirms the epoch. A write whose outcome is unknown is repeated with the same
   * messages (never others at those seqs) while this router holds the shard's epoch.
   */
  private void write(Conversation c, List<Pending> batch, List<Message> messages, long epoch, int attempt) {
    long unsealedHead;
    synchronized (c) {
      unsealedHead = c.unsealedHead;
    }
    CompletableFuture<Void> marked = marks.ensureMarked(c.shard, c.id).toCompletableFuture();
    CompletableFuture<Void> written = commitLog.write(c.id, messages, epoch).toCompletableFuture();
    // The first commit on top of a loaded head seals it, beside the write (no added wait): see MessageLog.seal.
    CompletableFuture<Void> sealed = unsealedHead < 0
        ? CompletableFuture.completedFuture(null)
        : commitLog.seal(c.id, epoch, unsealedHead).toCompletableFuture();
    CompletableFuture.allOf(marked, written, sealed)
        .thenCompose(done -> fence.confirm(c.shard, epoch))
        .whenCompleteAsync((confirmed, error) -> {
          if (error != null) {
            OptionalLong held = fence.epoch(c.shard);
            if (ownsShard.test(c.shard) && held.isPresent() && held.getAsLong() == epoch) {
              metrics.writeRetried();
              long delay = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(attempt, 10));
              log.debug("log write of {} failed, repeating in {} ms: {}", c.id, delay, error.toString());
              CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, executor)
                  .execute(() -> write(c, batch, messages, epoch, attempt + 1));
              return;
            }
            fail(c, batch, notOwner());
          } else if (!confirmed) {
            metrics.fenced();
            fail(c, batch, notOwner());
          } else {
            onCommitted(c, batch, messages, epoch);
          }
        }, executor);
  }

  private void onCommitted(Conversation c, List<Pending> batch, List<Message> messages, long epoch) {
    Set<String> members;
    GroupBatch group;
    synchronized (c) {
      group = c.inFlight;
      c.inFlight = null;
      if (group != null) {
        c.group = group.after();
        c.members = group.after().memberIds();
      }
      c.head = messages.get(messages.size() - 1).getSeq();
      c.headEpoch = epoch;
      c.unsealedHead = -1;
      members = c.members;
      for (int i = 0; i < batch.size(); i++) {
        c.pendingByKey.remove(batch.get(i).key);
        c.remember(batch.get(i).key, ack(messages.get(i)));
      }
    }
    metrics.committed(messages.size());
    try {
      if (group == null) {
        publisher.publish(members, messages);
      } else {
        publishByRecipients(group.recipients(), messages);
      }
    } catch (RuntimeException e) {
      // Core NATS refused (e.g. its reconnect buffer is full): devices catch up from history instead.
      metrics.publishFailed();
      long from = messages.get(0).getSeq();
      long to = messages.get(messages.size() - 1).getSeq();
      log.atWarn().addKeyValue("conversation_id", c.id).addKeyValue("from_seq", from).addKeyValue("to_seq", to)
          .log("live delivery of {} #{}..{} failed: {}", c.id, from, to, e.toString());
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result.complete(ack(messages.get(i)));
    }
    projector.committed(c.shard, c.id, group == null ? members : group.before(), messages);
    drive(c);
  }

  /** Publishes runs of consecutive entries that go to the same members together, in seq order. */
  private void publishByRecipients(List<Set<String>> recipients, List<Message> messages) {
    int start = 0;
    for (int i = 1; i <= messages.size(); i++) {
      if (i == messages.size() || recipients.get(i) != recipients.get(start)) {
        publisher.publish(recipients.get(start), messages.subList(start, i));
        start = i;
      }
    }
  }

  /** The batch is not committed by this router: its senders retry (elsewhere); the head is reloaded. */
  private void fail(Conversation c, List<Pending> batch, RuntimeException error) {
    synchronized (c) {
      for (Pending p : batch) {
        c.pendingByKey.remove(p.key);
        c.refuse(p.key);
      }
    }
    for (Pending p : batch) {
      p.result.completeExceptionally(error);
    }
    failAll(c, error);
  }

  private void failAll(Conversation c, RuntimeException error) {
    List<Pending> failed;
    synchronized (c) {
      c.inFlight = null;
      failed = failQueued(c, error);
      c.running = false;
      c.head = -1;
    }
    for (Pending p : failed) {
      p.result.completeExceptionally(error);
    }
  }

  /** Called with c locked; the caller completes the returned pendings outside the lock. */
  private static List<Pending> failQueued(Conversation c, RuntimeException error) {
    List<Pending> failed = new ArrayList<>(c.queue);
    failed.forEach(p -> c.refuse(p.key));
    c.queue.clear();
    c.pendingByKey.clear();
    return failed;
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

  private static SendAck ack(Message m) {
    return SendAck.newBuilder()
        .setClientMessageId(m.getClientMessageId())
        .setConversationId(m.getConversationId())
        .setSeq(m.getSeq())
        .setMessageId(m.getMessageId())
        .setServerTimeMs(m.getServerTimeMs())
        .build();
  }

  private static String key(String senderUserId, String clientMessageId) {
    return senderUserId + '\u0000' + clientMessageId;
  }

  private static RuntimeException notOwner() {
    return ApiErrors.unavailable("NOT_OWNER", "this router no longer owns the conversation; retry");
  }

  private static RuntimeException storeUnavailable() {
    return ApiErrors.unavailable("STORE_UNAVAILABLE", "the message store did not answer; retry");
  }

  /** Per-conversation state; every field is guarded by the object's monitor. */
  static final class Conversation {
    final String id;
    final int shard;
    final Deque<Pending> queue = new ArrayDeque<>();
    final Map<String, Pending> pendingByKey = new HashMap<>();
    /** Sends between arrival and their place in the queue; completes true once queued or stored. */
    final Map<String, CompletableFuture<Boolean>> arriving = new HashMap<>();
    /** Sends waiting for an earlier send of their device that has not arrived yet, by that send's key. */
    final Map<String, List<CompletableFuture<CompletableFuture<Boolean>>>> awaitedArrivals = new HashMap<>();
    /** Recent sends refused or failed before their commit, which a later send of the device may name. */
    final LinkedHashMap<String, Boolean> refused = new LinkedHashMap<>();
    /** Committed sends in seq order: all that are not projected yet, and the most recent ones. */
    final LinkedHashMap<String, SendAck> acks = new LinkedHashMap<>();
    Set<String> members = Set.of();
    final boolean isGroup;
    /** A group's state at the head (null until loaded; never for 1:1). */
    GroupState group;
    /** The group batch being written, if any. */
    GroupBatch inFlight;
    long head = -1;
    /** The shard epoch under which {@link #head} was read or written; a head of another epoch is stale. */
    long headEpoch;
    /** A head loaded and not yet sealed by a commit on top of it (-1: none). */
    long unsealedHead = -1;
    long projected;
    boolean running;
    long lastActivityNanos = System.nanoTime();

    Conversation(String id, int shard) {
      this.id = id;
      this.shard = shard;
      this.isGroup = dev.messenger.common.ConversationIds.isGroup(id);
    }

    /** The answer to a send already committed or pending here, or null. */
    CompletableFuture<SendAck> known(String key) {
      SendAck ack = acks.get(key);
      if (ack != null) {
        return CompletableFuture.completedFuture(ack.toBuilder().setDuplicate(true).build());
      }
      Pending pending = pendingByKey.get(key);
      return pending == null ? null : pending.result.thenApply(a -> a.toBuilder().setDuplicate(true).build());
    }

    /** True when the send is queued here or committed and still remembered. */
    boolean holds(String key) {
      return acks.containsKey(key) || pendingByKey.containsKey(key);
    }

    /** True when the head was read or written while this router held the shard at {@code epoch}. */
    boolean headKnownAt(long epoch) {
      return head >= 0 && headEpoch == epoch;
    }

    void refuse(String key) {
      refused.put(key, Boolean.TRUE);
      if (refused.size() > RECENT_REFUSALS) {
        refused.remove(refused.keySet().iterator().next());
      }
    }

    void remember(String key, SendAck ack) {
      acks.put(key, ack);
      trimAcks();
    }

    void trimAcks() {
      Iterator<SendAck> oldest = acks.values().iterator();
      while (acks.size() > RECENT_ACKS && oldest.hasNext()) {
        if (oldest.next().getSeq() > projected) {
          return;
        }
        oldest.remove();
      }
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
