package dev.messenger.history.store;

/**
 * A conversation a router marked in flight and has not cleared yet.
 *
 * @param fromSeq the first seq the marking router was about to commit (the mark's write timestamp)
 * @param sinceMs wall-clock time of the mark, for operators only
 */
public record Inflight(String conversationId, long fromSeq, long sinceMs) {}
