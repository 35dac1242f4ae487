package dev.messenger.router;

import dev.messenger.api.v1.Message;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies committed messages to per-user history, asynchronously, per conversation in seq order, from the
 * conversation's checkpoint ({@code projected_seq}). Each conversation is its own lane: a lane whose writes
 * fail retries with backoff and never skips a message, and never holds up another lane. Messages handed
 * over at commit are applied from memory; whatever a lane does not hold (after a takeover, a reload, or a
 * queue that overflowed) is read back from the log, up to the head the sequencer knows.
 */
final class Projector {
  /** Told after each applied step. */
  interface Listener {
    void projected(String conversationId, Set<String> members, long upToSeq);
  }

  /**
   * Another projection of the same step that must be durable before the checkpoint passes it (push
   * candidates): idempotent, since a step is repeated after any failure or takeover.
   */
  interface Derived {
    Derived NONE = (members, messages) -> CompletableFuture.completedFuture(null);

    CompletionStage<Void> apply(Set<String> members, List<Message> messages);
  }

  static final int STEP = 256;
  static final int MAX_QUEUED = 2048;
  /** A lane holds at most this much of message bodies in memory; the log has the rest. */
  static final long MAX_QUEUED_BYTES = 8L << 20;
  private static final Logger log = LoggerFactory.getLogger(Projector.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final CommitLog commitLog;
  private final Executor executor;
  private final Listener listener;
  private final Derived derived;
  private final RouterMetrics metrics;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  Projector(CommitLog commitLog, Executor executor, Listener listener, RouterMetrics metrics) {
    this(commitLog, executor, listener, metrics, Derived.NONE);
  }

  Projector(CommitLog commitLog, Executor executor, Listener listener, RouterMetrics metrics, Derived derived) {
    this.commitLog = commitLog;
    this.executor = executor;
    this.listener = listener;
    this.derived = derived;
    this.metrics = metrics;
  }

  /** Messages just committed (consecutive, ascending, one conversation). */
  void committed(int shard, String conversationId, Set<String> members, List<Message> messages) {
    Lane lane = lane(shard, conversationId);
    synchronized (lane) {
      lane.takeMembers(members);
      long last = messages.get(messages.size() - 1).getSeq();
      lane.target = Math.max(lane.target, last);
      long bytes = 0;
      for (Message m : messages) {
        bytes += m.getSerializedSize();
      }
      if (lane.queued.size() + messages.size() > MAX_QUEUED || lane.queuedBytes + bytes > MAX_QUEUED_BYTES) {
        lane.queued.clear(); // the log has them: the lane reads them back
        lane.queuedBytes = 0;
      } else {
        lane.queued.addAll(messages);
        lane.queuedBytes += bytes;
      }
    }
    drive(lane);
  }

  /** The conversation's log reaches {@code head}: project whatever of it is not projected yet. */
  void reach(int shard, String conversationId, Set<String> members, long head) {
    reach(shard, conversationId, members, head, -1);
  }

  /** The same, with the checkpoint the caller just read (-1: unknown); nothing to do when it is the head. */
  void reach(int shard, String conversationId, Set<String> members, long head, long checkpoint) {
    if (checkpoint >= head && !lanes.containsKey(conversationId)) {
      return;
    }
    Lane lane = lane(shard, conversationId);
    synchronized (lane) {
      lane.takeMembers(members);
      lane.target = Math.max(lane.target, head);
      lane.projected = Math.max(lane.projected, checkpoint);
    }
    drive(lane);
  }

  /** True when everything handed over is applied (or nothing ever was). */
  boolean settled(String conversationId) {
    Lane lane = lanes.get(conversationId);
    if (lane == null) {
      return true;
    }
    synchronized (lane) {
      return !lane.running && lane.projected >= lane.target;
    }
  }

  /** The lane's checkpoint, -1 when not known yet. */
  long projectedSeq(String conversationId) {
    Lane lane = lanes.get(conversationId);
    if (lane == null) {
      return -1;
    }
    synchronized (lane) {
      return lane.projected;
    }
  }

  /** Conversations with commits not applied yet, with their shard: to be marked again in a new hour. */
  Map<String, Integer> behind() {
    Map<String, Integer> behind = new java.util.HashMap<>();
    for (Lane lane : lanes.values()) {
      synchronized (lane) {
        if (lane.projected < lane.target) {
          behind.put(lane.conversationId, lane.shard);
        }
      }
    }
    return behind;
  }

  /** Messages committed and not yet projected, over every lane. */
  long lag() {
    long lag = 0;
    for (Lane lane : lanes.values()) {
      synchronized (lane) {
        lag += Math.max(0, lane.target - Math.max(lane.projected, 0));
      }
    }
    return lag;
  }

  /** Drops a settled lane (an idle conversation). */
  void forget(String conversationId) {
    lanes.computeIfPresent(conversationId, (id, lane) -> {
      synchronized (lane) {
        return !lane.running && lane.projected >= lane.target ? null : lane;
      }
    });
  }

  /** Stops projecting a shard's conversations: its next owner resumes from their checkpoints. */
  void forgetShard(int shard) {
    lanes.values().removeIf(lane -> {
      synchronized (lane) {
        if (lane.shard == shard) {
          lane.abandoned = true;
          return true;
        }
        return false;
      }
    });
  }

  private Lane lane(int shard, String conversationId) {
    return lanes.computeIfAbsent(conversationId, id -> new Lane(shard, id));
  }

  private void drive(Lane lane) {
    synchronized (lane) {
      if (lane.running || lane.abandoned) {
        return;
      }
      lane.running = true;
    }
    executor.execute(() -> step(lane));
  }

  private void step(Lane lane) {
    long projected;
    Set<String> members;
    List<Message> fromMemory = new ArrayList<>();
    long upTo;
    synchronized (lane) {
      if (lane.abandoned) {
        lane.running = false;
        return;
      }
      projected = lane.projected;
      members = lane.members;
      if (projected < 0) {
        commitLog.projectedSeq(lane.conversationId).whenCompleteAsync((checkpoint, error) -> {
          if (error != null) {
            retryLater(lane, error);
            return;
          }
          synchronized (lane) {
            lane.projected = Math.max(lane.projected, checkpoint);
          }
          step(lane);
        }, executor);
        return;
      }
      while (!lane.queued.isEmpty() && lane.queued.peekFirst().getSeq() <= projected) {
        lane.queuedBytes -= lane.queued.pollFirst().getSerializedSize();
      }
      if (projected >= lane.target) {
        lane.running = false;
        return;
      }
      upTo = Math.min(lane.target, projected + STEP);
      if (!lane.queued.isEmpty() && lane.queued.peekFirst().getSeq() == projected + 1) {
        long expected = projected + 1;
        for (Message m : lane.queued) {
          if (m.getSeq() != expected || m.getSeq() > upTo) {
            break;
          }
          fromMemory.add(m);
          expected++;
        }
      }
    }
    CompletionStage<List<Message>> next = !fromMemory.isEmpty()
        ? CompletableFuture.completedFuture(fromMemory)
        : commitLog.readLog(lane.conversationId, projected, (int) (upTo - projected));
    next.thenCompose(messages -> {
          List<Message> read = messages.stream().filter(m -> m.getSeq() <= upTo).toList();
          if (read.isEmpty() || read.get(0).getSeq() != projected + 1) {
            throw new IllegalStateException("the log of " + lane.conversationId + " has no seq " + (projected + 1));
          }
          Step step = lane.group ? Step.ofGroup(read, members) : new Step(read, members, members);
          return derived.apply(step.recipients(), step.messages())
              .thenCompose(done -> commitLog.project(step.recipients(), step.messages()))
              .thenApply(done -> step);
        })
        .whenCompleteAsync((applied, error) -> {
          if (error != null) {
            retryLater(lane, error);
            return;
          }
          long last = applied.messages().get(applied.messages().size() - 1).getSeq();
          synchronized (lane) {
            lane.projected = Math.max(lane.projected, last);
            lane.failures = 0;
            if (lane.group) {
              lane.members = applied.after();
            }
          }
          metrics.projected(applied.messages().size());
          listener.projected(lane.conversationId, applied.recipients(), last);
          step(lane);
        }, executor);
  }

  /**
   * Messages projected together, to whom, and the members after them. A group's step ends before its next
   * change, and a change is a step of its own: each message goes to the members at its seq.
   */
  private record Step(List<Message> messages, Set<String> recipients, Set<String> after) {
    static Step ofGroup(List<Message> read, Set<String> members) {
      if (read.get(0).hasGroupChange()) {
        var change = read.get(0).getGroupChange();
        Set<String> after = GroupState.membersAfter(members, change);
        return new Step(read.subList(0, 1), GroupState.recipients(after, change), after);
      }
      int end = 1;
      while (end < read.size() && !read.get(end).hasGroupChange()) {
        end++;
      }
      return new Step(read.subList(0, end), members, members);
    }
  }

  private void retryLater(Lane lane, Throwable error) {
    metrics.projectionFailed();
    long delay;
    synchronized (lane) {
      lane.failures++;
      delay = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(lane.failures - 1, 10));
    }
    log.atWarn().addKeyValue("conversation_id", lane.conversationId).addKeyValue("failures", lane.failures)
        .log("projection of {} failed ({} in a row), retrying in {} ms: {}", lane.conversationId, lane.failures,
            delay, error.toString());
    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, executor).execute(() -> step(lane));
  }

  /** One conversation's projection; fields guarded by the lane's monitor. */
  private static final class Lane {
    final int shard;
    final String conversationId;
    final ArrayDeque<Message> queued = new ArrayDeque<>();
    long queuedBytes;
    Set<String> members = Set.of();
    /** A group's members change along its log: the lane tracks them from its first members on. */
    final boolean group;
    boolean membersKnown;
    long projected = -1;
    long target;
    boolean running;
    boolean abandoned;
    int failures;

    Lane(int shard, String conversationId) {
      this.shard = shard;
      this.conversationId = conversationId;
      this.group = dev.messenger.common.ConversationIds.isGroup(conversationId);
    }

    /**
     * Members handed over with work: always current for a 1:1 conversation; for a group only the first
     * time (the members at the lane's checkpoint), after which the lane follows the group's changes itself.
     */
    void takeMembers(Set<String> given) {
      if (!group || !membersKnown) {
        members = given;
        membersKnown = true;
      }
    }
  }
}
