package dev.messenger.history.store;

/**
 * Where a page of a conversation starts: strictly before a seq (0 meaning from the newest message) or
 * strictly after one.
 */
public record PageAnchor(Direction direction, long seq) {
  /** Which way a page extends from its anchor. */
  public enum Direction {
    BEFORE,
    AFTER
  }

  public PageAnchor {
    if (direction == null) {
      throw new IllegalArgumentException("direction is required");
    }
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative: " + seq);
    }
  }

  /** Messages with seq below {@code seq}; 0 means the newest messages. */
  public static PageAnchor before(long seq) {
    return new PageAnchor(Direction.BEFORE, seq);
  }

  /** Messages with seq above {@code seq}. */
  public static PageAnchor after(long seq) {
    return new PageAnchor(Direction.AFTER, seq);
  }

  /** The newest messages. */
  public static PageAnchor latest() {
    return before(0);
  }
}
