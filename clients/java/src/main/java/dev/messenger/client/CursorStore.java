package dev.messenger.client;

import dev.messenger.api.v1.Cursor;

/**
 * Persists the device's cursor (the highest seq received of each conversation). The client loads it once
 * at start and saves it in batches, always before acknowledging deliveries to the server; a crash between
 * two saves means a few messages are delivered again after restart, never that one is skipped.
 * Implementations must be thread-safe and should be quick (saves run on the client's event loop).
 */
public interface CursorStore {
  /** The stored cursor, or an empty one. */
  Cursor load();

  /** Replaces the stored cursor. */
  void save(Cursor cursor);
}
