package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.Cursor;

/** A cursor kept in memory only: after a restart the device catches up from its initial cursor. */
public final class InMemoryCursorStore implements CursorStore {
  private volatile Cursor cursor;

  /** Starts from nothing: the first connect delivers every conversation from seq 1. */
  public InMemoryCursorStore() {
    this(Cursor.getDefaultInstance());
  }

  public InMemoryCursorStore(Cursor initial) {
    this.cursor = requireNonNull(initial, "initial");
  }

  @Override
  public Cursor load() {
    return cursor;
  }

  @Override
  public void save(Cursor cursor) {
    this.cursor = requireNonNull(cursor, "cursor");
  }
}
