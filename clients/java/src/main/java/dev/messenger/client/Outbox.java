package dev.messenger.client;

import dev.messenger.api.v1.SendRequest;
import java.util.List;
import java.util.Optional;

/**
 * Sends that the server has not acknowledged yet. An entry stays until its SendAck arrives or the server
 * rejects it permanently; after every reconnect the client resends all entries, in order, with their
 * original client message ids (the server answers a repeat with the original SendAck). Implementations
 * must be thread-safe and bounded: {@link #add} returns false when full.
 */
public interface Outbox {
  /** Adds a send at the end; false when the outbox is full. */
  boolean add(SendRequest request);

  /** The entry with this client message id, if still pending. */
  Optional<SendRequest> get(String clientMessageId);

  /** Removes the entry (acknowledged or permanently rejected); no-op when absent. */
  void remove(String clientMessageId);

  /** All pending entries in the order they were added. */
  List<SendRequest> pending();
}
