package dev.messenger.router.log;

/** What was stored for a sender's client message id: enough to answer a retried send with the original ack. */
public record StoredSend(
    String conversationId, String senderUserId, String clientMessageId, long seq, String messageId,
    long serverTimeMs) {}
