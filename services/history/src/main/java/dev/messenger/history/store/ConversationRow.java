package dev.messenger.history.store;

import dev.messenger.common.ConversationIds;
import com.datastax.oss.driver.api.core.cql.Row;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.ConversationSummary;
import dev.messenger.api.v1.Message;
import java.nio.ByteBuffer;
import java.util.Comparator;

/** One row of a member's {@code user_conversations} partition. */
record ConversationRow(
    String conversationId,
    ConversationKind kind,
    String peerUserId,
    String title,
    long lastSeq,
    Message lastMessage,
    long lastTimeMs,
    long readSeq) {

  static final String COLUMNS =
      "conversation_id, kind, peer_user_id, title, last_seq, last_message, last_time_ms, read_seq";

  /** Most recent activity first; ties by conversation id so the order is stable. */
  static final Comparator<ConversationRow> NEWEST_FIRST =
      Comparator.comparingLong(ConversationRow::lastTimeMs)
          .reversed()
          .thenComparing(ConversationRow::conversationId);

  static ConversationRow from(Row row) {
    ConversationKind kind = row.isNull("kind") ? null : ConversationKind.forNumber(row.getInt("kind"));
    String conversationId = row.getString("conversation_id");
    return new ConversationRow(
        conversationId,
        kind == null ? ConversationIds.kindOf(conversationId) : kind,
        nonNull(row.getString("peer_user_id")),
        nonNull(row.getString("title")),
        row.getLong("last_seq"),
        parse(row.getByteBuffer("last_message")),
        row.getLong("last_time_ms"),
        row.getLong("read_seq"));
  }

  /** Messages from others after the read marker (own messages move the marker, so all after it are others'). */
  long unreadCount() {
    return Math.max(0, lastSeq - readSeq);
  }

  ConversationSummary toSummary() {
    return ConversationSummary.newBuilder()
        .setConversationId(conversationId)
        .setKind(kind)
        .setTitle(title)
        .setPeerUserId(peerUserId)
        .setLastMessage(lastMessage)
        .setLastSeq(lastSeq)
        .setReadSeq(Math.min(readSeq, lastSeq))
        .setUnreadCount(unreadCount())
        .build();
  }

  private static Message parse(ByteBuffer bytes) {
    if (bytes == null) {
      return Message.getDefaultInstance();
    }
    try {
      return Message.parseFrom(bytes.duplicate());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("unreadable last_message", e);
    }
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }
}
