package dev.messenger.router;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** The durable side of sequencing, as the router needs it. Implemented on CQL by {@link CqlCommitLog}. */
interface CommitLog {
  /** Highest committed seq of the conversation, 0 if none. */
  CompletionStage<Long> loadHead(String conversationId);

  /** Commits consecutive messages atomically; false if any of their seqs was already taken. */
  CompletionStage<Boolean> commit(String conversationId, List<Message> messages);

  /** Committed messages with seq &gt; afterSeq, ascending. */
  CompletionStage<List<Message>> readLog(String conversationId, long afterSeq, int limit);

  /** The highest seq whose copies are known to be written everywhere. */
  CompletionStage<Long> fannedOutSeq(String conversationId);

  CompletionStage<Void> recordClientIds(String conversationId, List<Message> messages);

  CompletionStage<Optional<SendAck>> findClientId(String conversationId, String senderUserId, String clientMessageId);

  /** Writes every member's copy and conversation-list row; idempotent. */
  CompletionStage<Void> fanOut(Set<String> members, List<Message> messages);

  /** Marks the conversation in flight before committing {@code fromSeq} onwards. */
  CompletionStage<Void> markInflight(int shard, String conversationId, long fromSeq);

  /** Clears the mark once everything up to {@code upToSeq} is fanned out; later marks survive. */
  CompletionStage<Void> clearInflight(int shard, String conversationId, long upToSeq);

  CompletionStage<List<String>> listInflight(int shard);

  /** Members of a conversation; empty if it does not exist. */
  CompletionStage<Optional<Set<String>>> members(String conversationId);

  /** Creates the 1:1 conversation of two users if it does not exist. Idempotent. */
  CompletionStage<Void> ensureDirectConversation(String conversationId, String userA, String userB);
}
