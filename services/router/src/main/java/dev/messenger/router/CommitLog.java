package dev.messenger.router;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** The durable side of sequencing, as the router needs it. Implemented on CQL by {@link CqlCommitLog}. */
interface CommitLog {
  /** Raises the shard's fencing epoch for this router; completes with the new epoch. */
  CompletionStage<Long> claimShard(int shard, String owner);

  /** The shard's current epoch; a commit counts once this, read after the write, is the writer's. */
  CompletionStage<Long> shardEpoch(int shard);

  /** Highest seq in the conversation's log, 0 if none. */
  CompletionStage<Long> loadHead(String conversationId);

  /** Writes consecutive messages into the log with the epoch as write timestamp (not yet confirmed). */
  CompletionStage<Void> write(String conversationId, List<Message> messages, long epoch);

  /**
   * Records that the owner holding {@code epoch} loaded the log with {@code head} as its head: rows a
   * fenced-out owner writes past it with an older epoch never count when the head is loaded again.
   */
  CompletionStage<Void> seal(String conversationId, long epoch, long head);

  /** Messages of the log with seq &gt; afterSeq, ascending. */
  CompletionStage<List<Message>> readLog(String conversationId, long afterSeq, int limit);

  /** The projection checkpoint: every message up to it is applied for readers. */
  CompletionStage<Long> projectedSeq(String conversationId);

  /** The head and the projection checkpoint together ({@code [head, checkpoint]}), as cheaply as possible. */
  default CompletionStage<long[]> headAndCheckpoint(String conversationId) {
    return loadHead(conversationId).thenCombine(projectedSeq(conversationId), (head, checkpoint) ->
        new long[] {head, checkpoint});
  }

  /** Applies the next committed messages for readers (client ids, copies, rows), then the checkpoint. */
  CompletionStage<Void> project(Set<String> members, List<Message> messages);

  CompletionStage<Optional<SendAck>> findClientId(String conversationId, String senderUserId, String clientMessageId);

  /** Notes that the conversation may have unprojected commits in this hour. */
  CompletionStage<Void> markForProjection(int shard, long hour, String conversationId);

  /** Conversations of the shard marked in the hour. */
  CompletionStage<List<String>> markedForProjection(int shard, long hour);

  /** Members of a conversation; empty if it does not exist. */
  CompletionStage<Optional<Set<String>>> members(String conversationId);

  /** A group as projected up to its checkpoint (perhaps one change beyond); empty if never created. */
  CompletionStage<Optional<dev.messenger.history.store.StoredGroup>> group(String conversationId);

  /** Creates the 1:1 conversation of two users if it does not exist. Idempotent. */
  CompletionStage<Void> ensureDirectConversation(String conversationId, String userA, String userB);
}
