package dev.messenger.router.log;

import dev.messenger.history.store.Buckets;
import dev.messenger.api.v1.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a run of messages into the conditional batches that commit them: each batch stays in one
 * {@code conversation_log} partition (one bucket) and below a size bound, so a batch is a single-partition
 * LWT that ScyllaDB and Cassandra accept (their batch and mutation size limits), with one exception: a single
 * message larger than the bound gets a batch of its own.
 */
final class CommitBatches {
  /** Soft bound on the serialized size of one batch. */
  static final int MAX_BATCH_BYTES = 256 * 1024;

  private CommitBatches() {}

  /** Checks that messages belong to {@code conversationId} and have consecutive seqs, then splits them. */
  static List<List<Message>> split(String conversationId, List<Message> messages, int maxBatchBytes) {
    validate(conversationId, messages);
    return chunks(messages, maxBatchBytes);
  }

  /** Splits messages in ascending seq order at bucket boundaries and at the size bound. */
  static List<List<Message>> chunks(List<Message> messages, int maxBatchBytes) {
    List<List<Message>> batches = new ArrayList<>();
    List<Message> current = new ArrayList<>();
    long currentBucket = -1;
    int currentBytes = 0;
    for (Message message : messages) {
      long bucket = Buckets.of(message.getSeq());
      int size = message.getSerializedSize();
      boolean full = !current.isEmpty() && (bucket != currentBucket || currentBytes + size > maxBatchBytes);
      if (full) {
        batches.add(List.copyOf(current));
        current.clear();
        currentBytes = 0;
      }
      current.add(message);
      currentBucket = bucket;
      currentBytes += size;
    }
    if (!current.isEmpty()) {
      batches.add(List.copyOf(current));
    }
    return batches;
  }

  static void validate(String conversationId, List<Message> messages) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("nothing to commit");
    }
    long expected = messages.get(0).getSeq();
    if (expected < 1) {
      throw new IllegalArgumentException("seqs start at 1, got " + expected);
    }
    for (Message message : messages) {
      if (!message.getConversationId().equals(conversationId)) {
        throw new IllegalArgumentException("message of " + message.getConversationId() + " in " + conversationId);
      }
      if (message.getSeq() != expected) {
        throw new IllegalArgumentException("seqs must be consecutive: expected " + expected + ", got "
            + message.getSeq());
      }
      expected++;
    }
  }
}
