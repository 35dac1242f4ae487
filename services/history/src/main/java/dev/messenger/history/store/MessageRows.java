package dev.messenger.history.store;

import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.messenger.api.v1.GroupChange;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessageKind;

/** The message columns shared by {@code conversation_log} and {@code user_messages}, and their mapping. */
public final class MessageRows {
  /** Columns to select, in the order {@link #toMessage} reads them by name. */
  public static final String COLUMNS =
      "conversation_id, seq, message_id, sender_user_id, sender_device_id, client_message_id, body, "
          + "server_time_ms, kind, group_change";
  /** Value columns to write after the key columns, as named bind markers. */
  public static final String VALUE_COLUMNS =
      "message_id, sender_user_id, sender_device_id, client_message_id, body, server_time_ms, kind, group_change";
  public static final String VALUE_MARKERS =
      ":message_id, :sender_user_id, :sender_device_id, :client_message_id, :body, :server_time_ms, :kind, "
          + ":group_change";

  private MessageRows() {}

  public static Message toMessage(Row row) {
    MessageKind kind = MessageKind.forNumber(row.getInt("kind"));
    Message.Builder message = Message.newBuilder();
    java.nio.ByteBuffer change = row.getByteBuffer("group_change");
    if (change != null) {
      try {
        message.setGroupChange(GroupChange.parseFrom(change.duplicate()));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new IllegalStateException("unreadable group_change", e);
      }
    }
    return message
        .setConversationId(text(row, "conversation_id"))
        .setSeq(row.getLong("seq"))
        .setMessageId(text(row, "message_id"))
        .setSenderUserId(text(row, "sender_user_id"))
        .setSenderDeviceId(text(row, "sender_device_id"))
        .setClientMessageId(text(row, "client_message_id"))
        .setBody(text(row, "body"))
        .setServerTimeMs(row.getLong("server_time_ms"))
        .setKind(kind == null ? MessageKind.MESSAGE_KIND_UNSPECIFIED : kind)
        .build();
  }

  /** Binds the value columns of {@code message} (key columns are the caller's). */
  public static BoundStatementBuilder bindValues(BoundStatementBuilder builder, Message message) {
    if (message.hasGroupChange()) {
      builder.setByteBuffer("group_change", java.nio.ByteBuffer.wrap(message.getGroupChange().toByteArray()));
    }
    return builder
        .setString("message_id", message.getMessageId())
        .setString("sender_user_id", message.getSenderUserId())
        .setString("sender_device_id", message.getSenderDeviceId())
        .setString("client_message_id", message.getClientMessageId())
        .setString("body", message.getBody())
        .setLong("server_time_ms", message.getServerTimeMs())
        .setInt("kind", message.getKindValue());
  }

  private static String text(Row row, String column) {
    String value = row.getString(column);
    return value == null ? "" : value;
  }
}
