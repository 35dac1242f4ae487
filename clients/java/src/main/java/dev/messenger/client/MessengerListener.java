package dev.messenger.client;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.api.v1.Receipt;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.StreamError;
import dev.messenger.api.v1.TypingUpdate;

/**
 * Receives what the server pushes. Callbacks run one at a time, in arrival order, on the client's callback
 * executor; a callback that takes long slows delivery down (the client then stops asking the server for
 * more frames) but never makes the client buffer without bound. Exceptions thrown here are logged and
 * ignored.
 */
public interface MessengerListener {
  /**
   * A new message, in seq order per conversation, exactly once per process life. When this returns the
   * message counts as received: the cursor advances and the server is told (in batches).
   */
  default void onMessage(Message message) {}

  /** The server stored one of this client's sends (also called for sends resent after a reconnect). */
  default void onSendAck(SendAck ack) {}

  /**
   * A send was written to the stream: its first attempt, or a resend (after a refusal with a retry hint, or
   * on a new stream). {@code writtenAtNanos} is {@link System#nanoTime()} at the write; the callback itself
   * comes later, on the callback executor. Lets an application tell the server's latency for the attempt it
   * stored from the time the send spent waiting in the outbox.
   */
  default void onSendWritten(String clientMessageId, long writtenAtNanos) {}

  /** Another member received or read messages. */
  default void onReceipt(Receipt receipt) {}

  /** Another member is typing, or stopped. */
  default void onTyping(TypingUpdate typing) {}

  /** A watched user or contact went online or offline. */
  default void onPresence(PresenceUpdate presence) {}

  /**
   * A request failed, the stream ended abnormally, or the client detected a protocol problem (reasons
   * starting with {@code CLIENT_}, see {@link ClientReasons}).
   */
  default void onError(StreamError error) {}

  /** The connection state changed. */
  default void onStateChanged(ConnectionState state) {}
}
